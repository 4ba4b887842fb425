package org.meshfold.nat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real coturn {@code turnserver} on 127.0.0.1, started as a child process with its own
 * database, pid file and log in a temporary directory, ready once it answers a STUN Binding.
 */
public final class Coturn implements AutoCloseable {
    static final String REALM = "meshfold.test";
    private static final Duration STARTUP = Duration.ofSeconds(10);

    private final Process process;
    private final InetSocketAddress address;
    private final Path log;

    private Coturn(Process process, InetSocketAddress address, Path log) {
        this.process = process;
        this.address = address;
        this.log = log;
    }

    /** Long-term credentials: user {@code user} with {@code password}. */
    public static Coturn withUser(Path dir, String user, String password, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--lt-cred-mech", "--user=" + user + ":" + password));
        args.addAll(List.of(extra));
        return start(dir, args);
    }

    /** TURN REST API: time-limited credentials derived from {@code secret}. */
    public static Coturn withSecret(Path dir, String secret, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--use-auth-secret", "--static-auth-secret=" + secret));
        args.addAll(List.of(extra));
        return start(dir, args);
    }

    static Coturn start(Path dir, List<String> auth) throws Exception {
        Path binary = findTurnserver();
        int port = freePort();
        int minRelay = 20_000 + new SecureRandom().nextInt(30_000);
        Path log = dir.resolve("turnserver.log");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-n",
                "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", "--listening-port=" + port,
                "--min-port=" + minRelay, "--max-port=" + (minRelay + 200), "--realm=" + REALM,
                "--no-tls", "--no-dtls", "--no-cli", "--allow-loopback-peers", "--log-file=stdout",
                "--simple-log", "--pidfile=" + dir.resolve("turnserver.pid"), "--db=" + dir.resolve("turndb")));
        command.addAll(auth);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Coturn coturn = new Coturn(process, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), log);
        try {
            coturn.awaitReady();
        } catch (Exception e) {
            coturn.close();
            throw e;
        }
        return coturn;
    }

    public InetSocketAddress address() {
        return address;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    private void awaitReady() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        try (var probe = new StunProbe(scheduler)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("turnserver exited with " + process.exitValue() + ":\n" + log());
                }
                try {
                    probe.client.bind(address).get(2, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("turnserver did not answer STUN on " + address + " within "
                                + STARTUP + ":\n" + log(), e);
                    }
                }
            }
        } finally {
            scheduler.shutdownNow();
        }
    }

    /** A short-RTO STUN client for the readiness probe. */
    private static final class StunProbe implements AutoCloseable {
        final UdpDatagramSocket socket;
        final StunClient client;

        StunProbe(ScheduledExecutorService scheduler) throws IOException {
            StunClient[] holder = new StunClient[1];
            socket = UdpDatagramSocket.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    Thread.ofPlatform().daemon().factory(), (d, s) -> holder[0].onDatagram(d, s));
            client = new StunClient(socket, scheduler, new StunRetransmission(Duration.ofMillis(50), 5, 2),
                    new SecureRandom());
            holder[0] = client;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static Path findTurnserver() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "turnserver");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("coturn is not installed: these tests run a real TURN server;"
                + " install it with `apt-get install coturn` (Debian/Ubuntu package \"coturn\")");
    }

    /** A port free for both UDP and TCP on 127.0.0.1 at the time of asking. */
    static int freePort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException busy) {
                    continue;
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP on 127.0.0.1");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
