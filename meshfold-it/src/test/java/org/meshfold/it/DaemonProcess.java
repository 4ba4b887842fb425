package org.meshfold.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.meshfold.config.ConfigFile;
import org.meshfold.config.NodeConfig;

/**
 * A device running as a separate JVM ({@code meshfold run}), so tests can kill it with SIGKILL
 * at any moment. Its output goes to a log file in its home.
 */
final class DaemonProcess implements AutoCloseable {
    private final Path home;
    private final List<String> prefix;
    private Process process;

    DaemonProcess(Path home, NodeConfig config) {
        this(home, config, List.of());
    }

    /** @param prefix runs the JVM through this command, e.g. {@code ip netns exec NS} */
    DaemonProcess(Path home, NodeConfig config, List<String> prefix) {
        this.home = home;
        this.prefix = List.copyOf(prefix);
        ConfigFile.save(home, config);
    }

    void start() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), "org.meshfold.cli.Main", "run", "--home", home.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(new File(home.resolve("process.out").toString())));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hooks, no flushing, as a power cut would leave the disk (minus the page cache). */
    void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        kill();
    }
}
