package org.meshfold.it.traversal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.meshfold.api.ApiServer;
import org.meshfold.api.Json;
import org.meshfold.config.ConfigFile;
import org.meshfold.config.NodeConfig;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.it.natlab.Host;

/**
 * A device in a lab host: a home and a folder directory (under the run's directory in
 * {@code target/}), a {@code meshfold run} daemon in its own JVM in the host's namespace, and a
 * {@link CliShell} there for the commands that talk to it. Status comes from
 * {@code meshfold status --json}, as a user's script would read it.
 */
final class LabDevice implements AutoCloseable {
    private static final Duration COMMAND = Duration.ofSeconds(30);
    private static final Duration STOP = Duration.ofSeconds(15);

    /** What {@code status --json} says about one paired device; path and since are null while not connected. */
    record PeerView(boolean connected, String path, String transport, String address, Instant connectedSince) {
        @Override
        public String toString() {
            return connected ? "connected " + path + " " + transport + " " + address + " since " + connectedSince
                    : "not connected";
        }
    }

    private final String name;
    private final Host host;
    private final Path home;
    private final Path folder;
    private final Path dir;
    private final DeviceId id;
    private ShellClient shell;
    private Process daemon;
    private boolean fullJit;

    /** A device named {@code name} (also its directories' prefix under {@code dir}) on {@code host}. */
    LabDevice(String name, Host host, Path dir) {
        this.name = name;
        this.host = host;
        this.dir = dir;
        this.home = dir.resolve(name + "-home");
        this.folder = dir.resolve(name + "-folder");
        try {
            Files.createDirectories(home);
            this.id = DeviceIdentity.loadOrCreate(home).deviceId();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the identity in " + home, e);
        }
    }

    String name() {
        return name;
    }

    Host host() {
        return host;
    }

    DeviceId id() {
        return id;
    }

    Path home() {
        return home;
    }

    Path folder() {
        return folder;
    }

    Path file(String fileName) {
        return folder.resolve(fileName);
    }

    Path daemonLog() {
        return dir.resolve(name + "-daemon.log");
    }

    Path eventLog() {
        return dir.resolve(name + "-events.log");
    }

    Path shellLog() {
        return dir.resolve(name + "-shell.log");
    }

    /** Changes the configuration file directly (for settings the CLI has no command for). */
    void configure(UnaryOperator<NodeConfig> change) {
        NodeConfig before = ConfigFile.exists(home) ? ConfigFile.load(home) : NodeConfig.defaults(name);
        ConfigFile.save(home, change.apply(before));
    }

    NodeConfig config() {
        return ConfigFile.load(home);
    }

    /** Runs {@code meshfold ARGS --home HOME} in the device's host. */
    ShellClient.Result cli(Duration timeout, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--home", home.toString()));
        return shell().run(timeout, all.toArray(String[]::new));
    }

    ShellClient.Result cli(String... args) {
        return cli(COMMAND, args);
    }

    private synchronized ShellClient shell() {
        if (shell == null) {
            shell = ShellClient.start(host, shellLog());
        }
        return shell;
    }

    /**
     * Runs later daemons with the full JIT, as the launcher does, instead of C1 only: for devices
     * that move large files, whose speed is measured.
     */
    synchronized void fullJit(boolean on) {
        fullJit = on;
    }

    /** Starts {@code meshfold run} in the host; its output is appended to {@link #daemonLog}. */
    synchronized void start() {
        if (daemon != null && daemon.isAlive()) {
            throw new IllegalStateException(name + "'s daemon already runs");
        }
        try {
            // Left by a killed daemon; without it, status is not asked before the new daemon serves its API.
            Files.deleteIfExists(home.resolve(ApiServer.ADDRESS_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the stale API address of " + home, e);
        }
        appendToLog("--- meshfold run started by the test at " + Instant.now());
        String[] run = {"run", "--home", home.toString()};
        daemon = host.start(fullJit ? LabJava.meshfoldFullJit(run) : LabJava.meshfold(run), daemonLog());
    }

    /** CPU time the running daemon has used (zero when stopped or when the platform does not tell). */
    synchronized Duration daemonCpu() {
        return daemon == null ? Duration.ZERO : daemon.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    synchronized boolean running() {
        return daemon != null && daemon.isAlive();
    }

    /** Stops the daemon as a user would (SIGTERM), killing it if it does not exit in time. */
    synchronized void stop() {
        if (daemon == null) {
            return;
        }
        daemon.destroy();
        try {
            if (!daemon.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
                appendToLog("--- the daemon did not exit within " + STOP + " of SIGTERM: killed");
                daemon.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            daemon.destroyForcibly();
        }
        daemon = null;
    }

    /** Kills the daemon with SIGKILL, as a crash or {@code kill -9} would, and waits for it to be gone. */
    synchronized void kill() {
        if (daemon == null) {
            return;
        }
        appendToLog("--- the daemon was killed (SIGKILL) by the test at " + Instant.now());
        daemon.destroyForcibly();
        try {
            if (!daemon.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError(name + "'s daemon did not die within " + STOP + " of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        daemon = null;
    }

    /**
     * {@code status --json} from the running daemon, parsed; empty while no daemon answers (not yet
     * started, or starting). Fails if the daemon process has exited.
     */
    Optional<JsonNode> liveStatus() {
        requireRunning();
        if (!Files.exists(home.resolve(ApiServer.ADDRESS_FILE))) {
            return Optional.empty();
        }
        ShellClient.Result r = cli("status", "--json");
        if (r.exit() != 0) {
            return Optional.empty();
        }
        try {
            JsonNode node = Json.mapper().readTree(r.out());
            return node.path("daemonRunning").asBoolean(false) ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            throw new AssertionError(name + ": status --json printed something that is not JSON:\n" + r, e);
        }
    }

    /** Fails, with the end of the daemon's log, if its process has exited. */
    synchronized void requireRunning() {
        if (daemon == null) {
            throw new AssertionError(name + "'s daemon is not started");
        }
        if (!daemon.isAlive()) {
            throw new AssertionError(name + "'s daemon exited with code " + daemon.exitValue() + ":\n"
                    + LabLogs.tail(daemonLog(), 30));
        }
    }

    /** True once every configured rendezvous server has an open session (false if none is configured). */
    boolean rendezvousConnected() {
        JsonNode servers = liveStatus().map(s -> s.path("rendezvous")).orElse(null);
        if (servers == null || !servers.isArray() || servers.isEmpty()) {
            return false;
        }
        for (JsonNode s : servers) {
            if (!s.path("connected").asBoolean(false)) {
                return false;
            }
        }
        return true;
    }

    /** What this device's daemon says about {@code other}; empty while it does not answer or list it. */
    Optional<PeerView> peer(DeviceId other) {
        return liveStatus().flatMap(s -> peerIn(s, other));
    }

    /** What a {@code status --json} document says about device {@code other}; empty if it does not list it. */
    static Optional<PeerView> peerIn(JsonNode status, DeviceId other) {
        for (JsonNode d : status.path("devices")) {
            if (d.path("id").asText().equals(other.toString())) {
                String since = text(d, "connectedSince");
                return Optional.of(new PeerView(d.path("connected").asBoolean(false), text(d, "path"),
                        text(d, "transport"), text(d, "address"), since == null ? null : Instant.parse(since)));
            }
        }
        return Optional.empty();
    }

    /** Verified block bytes received for every folder of a {@code status --json} document. */
    static long bytesDownloaded(JsonNode status) {
        long sum = 0;
        for (JsonNode f : status.path("folders")) {
            sum += f.path("bytesDownloaded").asLong(0);
        }
        return sum;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The daemon's and the shell's logs, shortened to their last lines. */
    String logTails(int lines) {
        return "--- " + name + " on " + host + ", daemon " + (running() ? "running" : "not running") + " ("
                + daemonLog() + ")\n" + LabLogs.tail(daemonLog(), lines)
                + "\n--- " + name + "'s CLI commands (" + shellLog() + ")\n" + LabLogs.tail(shellLog(), lines / 2);
    }

    private void appendToLog(String line) {
        try {
            Files.writeString(daemonLog(), line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + daemonLog(), e);
        }
    }

    @Override
    public void close() {
        stop();
        ShellClient s;
        synchronized (this) {
            s = shell;
            shell = null;
        }
        if (s != null) {
            s.close();
        }
    }

    @Override
    public String toString() {
        return name + " (" + host + ")";
    }
}
