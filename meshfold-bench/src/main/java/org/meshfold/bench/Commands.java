package org.meshfold.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs a short command of a tool under test (version, key generation) and returns its output. */
final class Commands {
    private Commands() {
    }

    /**
     * Runs {@code command} to completion with stderr merged into stdout; fails if it cannot start
     * (with {@code hint}, e.g. how to install it) or exits with a non-zero status.
     */
    static String output(List<String> command, String hint) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("could not run '" + String.join(" ", command) + "' (" + hint + "): " + e.getMessage(),
                    e);
        }
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (p.waitFor() != 0) {
            throw new IOException("'" + String.join(" ", command) + "' failed with status " + p.exitValue() + ": "
                    + out.strip());
        }
        return out;
    }
}
