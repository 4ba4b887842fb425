package org.meshfold.cli;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Limits the JVM's optimizing compiler to the hot code of a sync (hashing, ciphers, chunking,
 * the index; {@code jit-directives.json}). On two cores a daemon spent about 40 % of its CPU in
 * the first minute compiling some 750 methods of TLS, Netty and SQLite glue with C2, which slowed
 * the transfers it was compiling for; with the rest left to C1 a 1 GiB initial sync took about a
 * fifth less time (bench/e2e.sh). Added through the JVM's diagnostic command, as
 * {@code jcmd Compiler.directives_add} would, so that only the daemon is affected and nothing is
 * printed; a JVM without it just runs with its defaults. Runs before logging is set up, so it
 * logs nothing.
 */
final class JitDirectives {
    private static final String RESOURCE = "jit-directives.json";

    private JitDirectives() {
    }

    /** Adds the directives; true if the JVM took them (it answers with a text, not an error). */
    static boolean install() {
        Path file = null;
        try (InputStream in = JitDirectives.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return false;
            }
            // The command reads a file; the temp file is gone once it has been read.
            file = Files.createTempFile("meshfold-jit-", ".json");
            Files.write(file, in.readAllBytes());
            Object result = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
                    new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()});
            return String.valueOf(result).strip().endsWith("compiler directives added");
        } catch (IOException | JMException | RuntimeException e) {
            return false;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // A leftover temp file of a few hundred bytes is harmless.
                }
            }
        }
    }
}
