package org.meshfold.it.traversal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.meshfold.it.natlab.Host;

/**
 * Drives a {@link CliShell} in a lab host: runs {@code meshfold} commands there, one at a time
 * (calls are serialized), each with a deadline. A shell that misses a deadline is killed, and every
 * later command fails at once, naming the command that hung.
 */
final class ShellClient implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(60);

    /** What a command printed and its exit code. */
    record Result(List<String> command, int exit, String out, String err) {
        /** The text after {@code prefix} on the first output line that starts with it. */
        String line(String prefix) {
            return out.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).trim())
                    .findFirst().orElseThrow(() -> new AssertionError("no line '" + prefix + "' in the output of "
                            + this));
        }

        /** This result if the command exited with 0; else fails, the first line saying why. */
        Result requireSuccess() {
            if (exit != 0) {
                String why = (err + out).lines().filter(l -> !l.isBlank()).reduce((first, second) -> second).orElse("");
                throw new AssertionError("'meshfold " + command.get(0) + "' exited with " + exit + ": " + why.strip()
                        + "\n" + this);
            }
            return this;
        }

        @Override
        public String toString() {
            return "meshfold " + String.join(" ", command) + " (exit " + exit + ")\n" + out + err;
        }
    }

    private final Host host;
    private final Process process;
    private final PrintWriter commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private String broken;

    private ShellClient(Host host, Process process) {
        this.host = host;
        this.process = process;
        this.commands = new PrintWriter(process.outputWriter(StandardCharsets.UTF_8), true);
        Thread reader = new Thread(this::readAnswers, "cli-shell-" + host.name());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a shell in {@code host}; its own output (logs, stack traces) goes to {@code log}. */
    static ShellClient start(Host host, Path log) {
        Process p = host.start(LabJava.shell(log.toAbsolutePath()));
        Thread errors = new Thread(() -> {
            // Only the JVM itself writes here (start-up warnings, crashes): the shell logs to the file.
            try (var out = java.nio.file.Files.newOutputStream(log, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND)) {
                p.getErrorStream().transferTo(out);
            } catch (IOException e) {
                // The shell exited.
            }
        }, "cli-shell-errors-" + host.name());
        errors.setDaemon(true);
        errors.start();
        ShellClient shell = new ShellClient(host, p);
        shell.await(STARTUP, "start").ifPresent(answer -> {
            if (!answer.equals("ready")) {
                throw new AssertionError("the CLI shell in " + host + " started with '" + answer + "'");
            }
        });
        return shell;
    }

    /** Runs {@code meshfold ARGS} in the host; fails if no answer comes within {@code timeout}. */
    synchronized Result run(Duration timeout, String... args) {
        List<String> command = List.of(args);
        if (broken != null) {
            throw new AssertionError("the CLI shell in " + host + " is dead (" + broken + "): cannot run "
                    + String.join(" ", command));
        }
        for (String a : args) {
            if (a.contains("\t") || a.contains("\n")) {
                throw new IllegalArgumentException("a shell argument cannot hold tabs or newlines: '" + a + "'");
            }
        }
        commands.println(String.join("\t", command));
        String answer = await(timeout, String.join(" ", command)).orElseThrow();
        String[] parts = answer.split(" ");
        return new Result(command, Integer.parseInt(parts[0]), decode(parts[1]), decode(parts[2]));
    }

    private java.util.Optional<String> await(Duration timeout, String what) {
        String answer;
        try {
            answer = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for 'meshfold " + what + "' in " + host, e);
        }
        if (answer == null || answer.startsWith("eof")) {
            broken = answer == null ? "'" + what + "' got no answer within " + timeout : "it exited during '" + what + "'";
            close();
            throw new AssertionError("the CLI shell in " + host + ": " + broken);
        }
        return java.util.Optional.of(answer);
    }

    private void readAnswers() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(CliShell.MARKER + " ")) {
                    answers.add(line.substring(CliShell.MARKER.length() + 1));
                }
            }
        } catch (IOException e) {
            // The shell was killed; the waiting command learns it from the end marker.
        }
        answers.add("eof");
    }

    private static String decode(String part) {
        return part.equals("-") ? "" : new String(Base64.getDecoder().decode(part), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        commands.close();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
