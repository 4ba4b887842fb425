package org.meshfold.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
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
    static final List<String> JVM_FLAGS = List.of("--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xms16m",
            "-XX:NewSize=12m", "-XX:MaxNewSize=40m", "-Xmx1g");
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
        archive().ifPresent(file -> options.addAll(List.of("-XX:+AutoCreateSharedArchive",
                "-XX:SharedArchiveFile=" + file, "-Xlog:cds=off,cds+dynamic=off")));
        String extra = System.getenv("MESHFOLD_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            options.addAll(List.of(extra.trim().split("\\s+")));
        }
        return options;
    }

    /**
     * The class-data archive, as the launcher keeps one: in the build directory holding the first
     * jar of the class path, when writable, named by the class path's fingerprint (the JVM does
     * not replace an archive made from other jars).
     */
    private static Optional<Path> archive() {
        String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
        Path dir = Path.of(entries[0]).toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            return Optional.empty();
        }
        StringBuilder stamps = new StringBuilder();
        try {
            for (String entry : entries) {
                List<Path> jars = new ArrayList<>();
                if (entry.endsWith("*")) {
                    try (DirectoryStream<Path> dirJars = Files.newDirectoryStream(Path.of(entry).getParent(), "*.jar")) {
                        dirJars.forEach(jars::add);
                    }
                } else {
                    jars.add(Path.of(entry));
                }
                for (Path jar : jars.stream().sorted().toList()) {
                    stamps.append(jar).append(' ').append(Files.getLastModifiedTime(jar).toMillis()).append(' ')
                            .append(Files.size(jar)).append('\n');
                }
            }
        } catch (IOException e) {
            return Optional.empty(); // a class path entry cannot be read: run without an archive
        }
        Path archive = dir.resolve("meshfold-daemon-" + Integer.toHexString(stamps.toString().hashCode()) + ".jsa");
        if (!Files.exists(archive)) {
            try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, "meshfold-daemon-*.jsa")) {
                for (Path old : stale) {
                    Files.deleteIfExists(old);
                }
            } catch (IOException e) {
                // An old archive that cannot be removed only takes space.
            }
        }
        return Optional.of(archive);
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
