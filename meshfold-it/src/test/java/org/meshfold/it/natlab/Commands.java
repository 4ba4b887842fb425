package org.meshfold.it.natlab;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short administrative commands (ip, nft, sysctl, conntrack) with a deadline. */
final class Commands {
    private static final long DEADLINE_SECONDS = 20;

    private Commands() {
    }

    static ExecResult run(String... command) {
        return run(null, Arrays.asList(command));
    }

    /** Runs {@code command}, feeding {@code stdin} if not null, and waits at most 20 seconds. */
    static ExecResult run(String stdin, List<String> command) {
        List<String> cmd = List.copyOf(command);
        Path output;
        Process p;
        try {
            // Output goes to a file so that a hanging command cannot block the reader past the deadline.
            output = Files.createTempFile("natlab-cmd", ".out");
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            return new ExecResult(cmd, 127, "cannot start: " + e.getMessage());
        }
        try {
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // The process exited before reading its input; its exit code and output tell why.
            }
            boolean exited = p.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS);
            if (!exited) {
                p.destroyForcibly();
            }
            String text = Files.readString(output);
            return exited ? new ExecResult(cmd, p.exitValue(), text)
                    : new ExecResult(cmd, 124, text + "\n(killed after " + DEADLINE_SECONDS + " s)");
        } catch (IOException e) {
            return new ExecResult(cmd, 126, "reading output failed: " + e.getMessage());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new NatLabException("interrupted while running " + String.join(" ", cmd), e);
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                // A leftover temporary file is harmless.
            }
        }
    }

    /** {@code ip netns exec NAMESPACE command...}. */
    static List<String> inNamespace(String namespace, List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        return full;
    }
}
