package org.meshfold.api;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.meshfold.config.FolderConfig;
import org.meshfold.daemon.AddedFolder;
import org.meshfold.daemon.DeviceNode;
import org.meshfold.daemon.NodeStatus;
import org.meshfold.identity.DeviceId;
import org.meshfold.pairing.Invite;
import org.meshfold.pairing.PairingOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's REST API on 127.0.0.1: {@code GET /rest/status}, {@code /rest/folders},
 * {@code /rest/devices} (JSON), {@code /rest/events} (server-sent events) and {@code /metrics}
 * (Prometheus), and the endpoints of {@link ControlRoutes} that pair, add folders and remove devices. Every request needs the home's {@link ApiKey} in {@code X-API-Key} or as
 * {@code Authorization: Bearer KEY}; otherwise the answer is 401.
 *
 * <p>It listens on {@link #DEFAULT_PORT} if that is free, else on any free port, and writes where
 * to {@code home/api.address} ({@code 127.0.0.1:PORT}), so clients of that home find it without
 * flags; the file is removed on close. Requests are served by a small pool of daemon threads;
 * events are produced on the server's own timer thread.
 */
public final class ApiServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 22080;
    public static final String ADDRESS_FILE = "api.address";
    static final Duration EVENT_INTERVAL = Duration.ofMillis(250);
    static final Duration PING_INTERVAL = Duration.ofSeconds(15);
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    /** For a status-only server: every change is refused. */
    private static final DeviceControl READ_ONLY = new DeviceControl() {
        @Override
        public Invite invite(String folderIdOrPath, Duration ttl) {
            throw new IllegalStateException("this API serves status only");
        }

        @Override
        public PairingOutcome join(Invite invite, Path folder) {
            throw new IllegalStateException("this API serves status only");
        }

        @Override
        public AddedFolder addFolder(FolderConfig folder) {
            throw new IllegalStateException("this API serves status only");
        }

        @Override
        public boolean removeDevice(DeviceId device) {
            throw new IllegalStateException("this API serves status only");
        }
    };

    private final Path home;
    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService timer;
    private final EventStream events;
    private final ApiKey key;
    private final String hostPort;

    private ApiServer(Path home, HttpServer server, ApiKey key, Supplier<NodeStatus> status, DeviceControl control) {
        this.home = home;
        this.server = server;
        this.key = key;
        this.hostPort = "127.0.0.1:" + server.getAddress().getPort();
        Supplier<NodeStatus> withAddress = () -> status.get().withApiAddress(hostPort);
        this.handlers = Executors.newFixedThreadPool(4, daemonThreads("meshfold-api"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("meshfold-api-events"));
        this.events = new EventStream(withAddress, timer, EVENT_INTERVAL, PING_INTERVAL);
        server.createContext("/", new ApiHandler(key, withAddress, events, new ControlRoutes(control, Clock.systemUTC())));
        server.setExecutor(handlers);
    }

    /**
     * Starts serving {@code status} for the device of {@code home}: creates the API key on first
     * use, listens on {@code preferredPort} (or a free port if it is taken; 0 always picks a free
     * one) and writes {@code home/api.address}.
     */
    public static ApiServer start(Path home, Supplier<NodeStatus> status, int preferredPort) throws IOException {
        return start(home, status, READ_ONLY, preferredPort);
    }

    /** Serves the running {@code node}: its status, and pairing, adding folders and removing devices. */
    public static ApiServer start(Path home, DeviceNode node, int preferredPort) throws IOException {
        return start(home, node::snapshot, DeviceControl.of(node), preferredPort);
    }

    /** Serves {@code status}, and changes through {@code control}; see {@link #start(Path, Supplier, int)}. */
    public static ApiServer start(Path home, Supplier<NodeStatus> status, DeviceControl control, int preferredPort)
            throws IOException {
        ApiKey key = ApiKey.loadOrCreate(home);
        HttpServer http = bind(preferredPort);
        ApiServer api = new ApiServer(home, http, key, status, control);
        http.start();
        try {
            writeAtomically(home.resolve(ADDRESS_FILE), api.hostPort + "\n");
        } catch (IOException e) {
            api.close();
            throw new IOException("cannot write " + home.resolve(ADDRESS_FILE) + ": " + e.getMessage(), e);
        }
        log.info("REST API on {}", api.url());
        return api;
    }

    private static HttpServer bind(int preferredPort) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try {
            return HttpServer.create(new InetSocketAddress(loopback, preferredPort), 16);
        } catch (BindException e) {
            // Another daemon (another home) or program has the port: any free port will do,
            // since clients read it from api.address.
            HttpServer any = HttpServer.create(new InetSocketAddress(loopback, 0), 16);
            log.info("API port {} is taken ({}); using {} instead", preferredPort, e.getMessage(),
                    any.getAddress().getPort());
            return any;
        }
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** {@code http://127.0.0.1:PORT} */
    public String url() {
        return "http://" + hostPort;
    }

    public ApiKey key() {
        return key;
    }

    /** Stops serving (ending open event streams) and removes {@code api.address} if it is still ours. */
    @Override
    public void close() {
        events.close();
        server.stop(0);
        timer.shutdownNow();
        handlers.shutdownNow();
        Path file = home.resolve(ADDRESS_FILE);
        try {
            if (Files.exists(file) && Files.readString(file).trim().equals(hostPort)) {
                Files.delete(file);
            }
        } catch (IOException e) {
            log.warn("cannot remove {}: {} (clients will find no daemon there and read the home directly)",
                    file, e.getMessage());
        }
    }

    private static void writeAtomically(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
