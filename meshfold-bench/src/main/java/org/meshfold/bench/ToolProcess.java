package org.meshfold.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One process of a tool under test, its stdout and stderr appended to one file. Stopped with
 * SIGTERM (a clean shutdown), then killed if it does not exit in time.
 */
final class ToolProcess {
    private static final long STOP_SECONDS = 30;
    private static final int TAIL_LINES = 20;

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path output;
    private Process process;

    /**
     * @param name        what the process is, for messages ("sender device")
     * @param command     program and arguments
     * @param environment variables added to this JVM's environment
     * @param output      file that receives stdout and stderr
     */
    ToolProcess(String name, List<String> command, Map<String, String> environment, Path output) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.output = output;
    }

    void start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("could not start the " + name + " (" + String.join(" ", command) + "): "
                    + e.getMessage(), e);
        }
    }

    Path output() {
        return output;
    }

    long pid() {
        return process.pid();
    }

    /** Fails with the end of the process's output if it has exited. */
    void checkAlive() throws IOException {
        if (process != null && !process.isAlive()) {
            throw new IOException(name + " exited with status " + process.exitValue() + "; its output ends with:\n"
                    + outputTail());
        }
    }

    /** Peak RSS ({@code VmHWM}) so far, in bytes. */
    long peakRssBytes() throws IOException {
        return ProcStatus.peakRssBytes(process.pid());
    }

    /** Waits up to {@code timeout} for the process to exit by itself; true if it has. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Exit status of a process that has exited. */
    int exitStatus() {
        return process.exitValue();
    }

    /** SIGTERM, then waits for the exit; kills the process if it does not stop in time. */
    void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
            System.err.println(name + " did not stop within " + STOP_SECONDS + " s of SIGTERM; killing it");
            process.destroyForcibly().waitFor();
        }
        process = null;
    }

    String outputTail() throws IOException {
        if (!Files.exists(output)) {
            return "(no output)";
        }
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    }
}
