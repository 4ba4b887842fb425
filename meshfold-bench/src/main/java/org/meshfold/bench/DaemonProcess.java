package org.meshfold.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * One device as its own JVM, started the way the {@code meshfold} launcher starts it
 * ({@code meshfold run --home HOME}, same JVM flags, plus {@code MESHFOLD_JAVA_OPTS}), on the
 * benchmark's own class path. Its stdout and stderr go to {@code process.out} in its home.
 */
final class DaemonProcess {
    /** The launcher's JVM flags, so the figures match a device started with {@code ./meshfold run}. */
    static final List<String> JVM_FLAGS = List.of("--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xms16m", "-Xmx1g");
    private static final long POLL_MILLIS = 20;
    private static final String RUNNING = "meshfold running:";

    private final String name;
    private final Path home;
    private ToolProcess process;

    DaemonProcess(String name, Path home) {
        this.name = name;
        this.home = home;
    }

    static List<String> jvmOptions() {
        List<String> options = new ArrayList<>(JVM_FLAGS);
        archiveDirectory().ifPresent(dir -> options.addAll(List.of("-XX:+AutoCreateSharedArchive",
                "-XX:SharedArchiveFile=" + dir.resolve("meshfold-daemon.jsa"))));
        String extra = System.getenv("MESHFOLD_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            options.addAll(List.of(extra.trim().split("\\s+")));
        }
        return options;
    }

    /**
     * Where the launcher keeps its class-data archive: the build directory holding the jar on the
     * class path, when writable (the archive depends on the class path, so each build directory has its own).
     */
    private static Optional<Path> archiveDirectory() {
        String first = System.getProperty("java.class.path").split(File.pathSeparator)[0];
        Path dir = Path.of(first).toAbsolutePath().getParent();
        return dir != null && Files.isDirectory(dir) && Files.isWritable(dir) ? Optional.of(dir) : Optional.empty();
    }

    void start() throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.meshfold.cli.Main", "run",
                "--home", home.toString()));
        process = new ToolProcess(name + " device", cmd, Map.of(), home.resolve("process.out"));
        process.start();
    }

    /** Waits until the device is listening (the {@code run} command prints "meshfold running" then). */
    void awaitRunning(Duration timeout) throws IOException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path out = process.output();
        while (!Files.exists(out) || !Files.readString(out, StandardCharsets.UTF_8).contains(RUNNING)) {
            checkAlive();
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(name + " device did not start listening within " + timeout.toSeconds()
                        + " s; its output ends with:\n" + process.outputTail());
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Fails with the end of the device's output if it has exited. */
    void checkAlive() throws IOException {
        if (process != null) {
            process.checkAlive();
        }
    }

    /**
     * The most memory the process has had resident (Linux {@code VmHWM}), in bytes; read just
     * before stopping, it is the peak of the whole run.
     */
    long peakRssBytes() throws IOException {
        return process.peakRssBytes();
    }

    /** SIGTERM (a clean shutdown through the daemon's shutdown hook), then waits for the exit. */
    void stop() throws InterruptedException {
        if (process != null) {
            process.stop();
            process = null;
        }
    }

    Path log() {
        return home.resolve("meshfold.log");
    }
}
