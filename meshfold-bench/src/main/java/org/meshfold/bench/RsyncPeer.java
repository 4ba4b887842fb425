package org.meshfold.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An rsync daemon on loopback whose one writable module is the receiving folder, and the rsync
 * client that pushes a sender folder to it ({@code rsync -a [--fsync] SRC/ rsync://HOST:PORT/bench/}).
 * The client dials a {@link CountingRelay} in front of the daemon, so its counts are the rsync
 * protocol bytes (rsync:// is not encrypted). {@code --fsync} is passed on to the daemon, which
 * then fsyncs every file it writes.
 *
 * <p>Both processes run under GNU {@code time}, which reports the largest resident set of the
 * process or of any descendant it reaped: the daemon forks a receiver (and that a generator) for
 * each connection, so the daemon's figure is the largest of those processes, not their sum.
 */
final class RsyncPeer implements AutoCloseable {
    static final String MODULE = "bench";
    private static final String TIME = "/usr/bin/time";
    private static final Pattern VERSION = Pattern.compile("rsync\\s+version\\s+(\\S+)");
    private static final Duration STOP = Duration.ofSeconds(30);
    private static final Pattern LAST_NUMBER = Pattern.compile("(\\d+)\\s*$");

    private final Path dir;
    private final Path destination;
    private final InetSocketAddress listen;
    private final CountingRelay relay;
    private final ToolProcess daemon;
    private long clientPeakKib;
    private int pushes;

    /**
     * Writes the daemon's configuration in {@code dir}; starts nothing. The daemon writes as the
     * owner of {@code destination} (when run as root it would otherwise switch to nobody).
     */
    RsyncPeer(Path dir, Path destination) throws IOException {
        this.dir = dir;
        this.destination = destination;
        this.listen = Loopback.freePort();
        this.relay = new CountingRelay(listen);
        Files.writeString(dir.resolve("rsyncd.conf"), """
                pid file = %s
                use chroot = no
                [%s]
                    path = %s
                    read only = no
                    uid = %s
                    gid = %s
                """.formatted(dir.resolve("rsyncd.pid"), MODULE, destination,
                Files.getOwner(destination).getName(),
                Files.readAttributes(destination, PosixFileAttributes.class).group().getName()));
        this.daemon = new ToolProcess("rsync daemon", List.of(TIME, "-f", "%M", "-o",
                dir.resolve("daemon.maxrss").toString(), "rsync", "--daemon", "--no-detach",
                "--config=" + dir.resolve("rsyncd.conf"), "--port=" + listen.getPort(),
                "--address=" + listen.getHostString()), Map.of(), dir.resolve("daemon.out"));
    }

    /** The version of the {@code rsync} on PATH, e.g. "3.2.7". */
    static String version() throws IOException, InterruptedException {
        String out = Commands.output(List.of("rsync", "--version"), "bench/compare.sh installs it");
        Matcher m = VERSION.matcher(out);
        if (!m.find()) {
            throw new IOException("'rsync --version' printed no version: " + out.strip());
        }
        return m.group(1);
    }

    CountingRelay relay() {
        return relay;
    }

    Path destination() {
        return destination;
    }

    void start(Duration timeout) throws IOException, InterruptedException, TimeoutException {
        daemon.start();
        Loopback.awaitListening(listen, "the rsync daemon", timeout, daemon::checkAlive);
    }

    /** Pushes {@code source} to the module; returns the client's wall time in seconds. */
    double push(Path source, boolean fsync, Duration timeout) throws IOException, InterruptedException,
            TimeoutException {
        pushes++;
        Path rss = dir.resolve("client-" + pushes + ".maxrss");
        List<String> cmd = new ArrayList<>(List.of(TIME, "-f", "%M", "-o", rss.toString(), "rsync", "-a"));
        if (fsync) {
            cmd.add("--fsync");
        }
        cmd.add(source + "/");
        cmd.add("rsync://" + relay.address().getAddress().getHostAddress() + ":" + relay.address().getPort() + "/"
                + MODULE + "/");
        ToolProcess client = new ToolProcess("rsync client", cmd, Map.of(), dir.resolve("client.out"));
        long start = System.nanoTime();
        client.start();
        if (!client.awaitExit(timeout)) {
            client.stop();
            throw new TimeoutException("rsync did not finish within " + timeout.toSeconds() + " s: " + cmd);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int status = client.exitStatus();
        if (status != 0) {
            throw new IOException("rsync failed with status " + status + "; its output ends with:\n"
                    + client.outputTail() + "\nthe daemon's:\n" + daemon.outputTail());
        }
        clientPeakKib = Math.max(clientPeakKib, maxRssKib(rss));
        return seconds;
    }

    /** Largest peak RSS of the client over all pushes, in bytes. */
    long clientPeakRssBytes() {
        return clientPeakKib * 1024;
    }

    /**
     * Stops the daemon (SIGTERM to the daemon itself, named by its pid file, so that {@code time}
     * reports) and returns its peak RSS in bytes.
     */
    long stopDaemon() throws IOException, InterruptedException {
        terminateDaemon();
        if (!daemon.awaitExit(STOP)) {
            daemon.stop();
            throw new IOException("the rsync daemon did not stop within " + STOP.toSeconds() + " s of SIGTERM");
        }
        return maxRssKib(dir.resolve("daemon.maxrss")) * 1024;
    }

    private void terminateDaemon() throws IOException {
        Path pidFile = dir.resolve("rsyncd.pid");
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
    }

    /** GNU time's last line is the %M figure (kB); a "terminated by signal" line may precede it. */
    private static long maxRssKib(Path file) throws IOException {
        Matcher m = LAST_NUMBER.matcher(Files.readString(file, StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new IOException(file + " has no peak RSS figure from " + TIME);
        }
        return Long.parseLong(m.group(1));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (daemon.isAlive()) {
            terminateDaemon();
            daemon.awaitExit(STOP);
        }
        daemon.stop();
        relay.close();
    }
}
