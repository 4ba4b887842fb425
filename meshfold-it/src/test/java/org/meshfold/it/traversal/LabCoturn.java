package org.meshfold.it.traversal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.meshfold.it.Await;
import org.meshfold.it.natlab.Host;

/**
 * coturn ({@code turnserver}) on a public lab host, as the internet deployment runs it: TURN REST
 * API credentials ({@code use-auth-secret} with a {@code static-auth-secret}, which the rendezvous
 * server hands out), plain TURN on UDP and TCP port 3478 (no TLS or DTLS), relayed addresses on the
 * host's public address.
 *
 * <p>Peers: coturn refuses loopback peers and 0.0.0.0/8 by default and nothing else, so relaying
 * to TEST-NET addresses (hosts and NAT routers) and between two allocations of this server (two
 * TURN-over-TCP clients, each sending to the other's relayed address) works as is; both TEST-NET
 * ranges are allowed explicitly anyway, which also overrides any denied range a future coturn or a
 * site configuration file might add. A fresh user database and pid file per start keep runs apart.
 */
final class LabCoturn implements AutoCloseable {
    static final int PORT = 3478;
    static final String REALM = "meshfold.lab";
    private static final Duration STARTUP = Duration.ofSeconds(20);

    private final Host host;
    private final String secret;
    private final Path dir;
    private Process process;

    private LabCoturn(Host host, String secret, Path dir) {
        this.host = host;
        this.secret = secret;
        this.dir = dir;
    }

    /** Starts coturn on {@code host} and returns once it listens on UDP and TCP; logs go to {@code dir}. */
    static LabCoturn start(Host host, String secret, Path dir) {
        LabCoturn coturn = new LabCoturn(host, secret, dir);
        coturn.start();
        return coturn;
    }

    /** True if {@code turnserver} is on the PATH (or in /usr/bin). */
    static boolean installed() {
        for (String d : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "turnserver"))) {
                return true;
            }
        }
        return false;
    }

    /** {@code turn:IP:3478}: devices choose UDP or TCP themselves. */
    String url() {
        return "turn:" + host.address() + ":" + PORT;
    }

    String secret() {
        return secret;
    }

    Host host() {
        return host;
    }

    Path log() {
        return dir.resolve("turnserver.log");
    }

    /** Starts coturn again after {@link #stop}, with the same address and secret. */
    synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("coturn already runs on " + host);
        }
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve("turndb"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot prepare " + dir + " for coturn", e);
        }
        List<String> cmd = new ArrayList<>(List.of("turnserver", "-n", "-v",
                "--listening-ip=" + host.address(), "--relay-ip=" + host.address(), "--listening-port=" + PORT,
                "--realm=" + REALM, "--use-auth-secret", "--static-auth-secret=" + secret,
                "--no-tls", "--no-dtls", "--no-cli",
                "--allowed-peer-ip=203.0.113.0-203.0.113.255", "--allowed-peer-ip=198.51.100.0-198.51.100.255",
                "--log-file=stdout", "--simple-log", "--pidfile=" + dir.resolve("turnserver.pid"),
                "--db=" + dir.resolve("turndb")));
        process = host.start(cmd, log());
        Process started = process;
        Await.until("coturn to listen on UDP and TCP " + host.address() + ":" + PORT, STARTUP,
                () -> !started.isAlive() || listening("-Hlnu") && listening("-Hlnt"),
                () -> "\n" + LabLogs.tail(log(), 40));
        if (!started.isAlive()) {
            throw new AssertionError("coturn on " + host + " exited with " + started.exitValue() + ":\n"
                    + LabLogs.tail(log(), 40));
        }
    }

    private boolean listening(String ssFlags) {
        return host.exec("ss", ssFlags, "sport = :" + PORT).output().contains(host.address() + ":" + PORT);
    }

    /** CPU time the running coturn has used (zero when stopped or when the platform does not tell). */
    synchronized Duration cpu() {
        return process == null ? Duration.ZERO : process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** Stops coturn (SIGTERM, then SIGKILL): every allocation and TCP connection to it ends. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }
}
