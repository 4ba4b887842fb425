package org.meshfold.it.traversal;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.meshfold.cli.Main;

/**
 * Runs {@code meshfold} commands one after another in a single JVM inside a lab namespace, so a
 * test pays for one JVM start per host instead of one per command ({@link ShellClient} drives it).
 * The CLI reaches a daemon through its REST API on 127.0.0.1, which only a process in the daemon's
 * namespace can reach.
 *
 * <p>Protocol: one command per line on stdin, its arguments separated by tabs; one answer line
 * per command on stdout, {@code <MARKER> EXIT BASE64(stdout) BASE64(stderr)} ({@code -} for empty
 * output). Everything else the JVM prints goes to the log file named by the only argument.
 */
public final class CliShell {
    static final String MARKER = "\u0001meshfold-shell";

    private CliShell() {
    }

    public static void main(String[] args) throws IOException {
        PrintStream answers = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream log = new PrintStream(new FileOutputStream(args[0], true), true, StandardCharsets.UTF_8);
        System.setOut(log);
        System.setErr(log);
        answers.println(MARKER + " ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] command = line.isEmpty() ? new String[0] : line.split("\t", -1);
            answers.println(MARKER + " " + run(command, log));
        }
    }

    private static String run(String[] command, PrintStream log) {
        Instant started = Instant.now();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            try {
                var cl = Main.commandLine();
                cl.setOut(new PrintWriter(o, true));
                cl.setErr(new PrintWriter(e, true));
                exit = cl.execute(command);
            } catch (RuntimeException | Error failure) {
                failure.printStackTrace(e);
                exit = 1;
            } finally {
                System.setOut(log);
                System.setErr(log);
            }
        }
        // Status is polled many times a second: its output would drown the log of the other commands.
        boolean quiet = exit == 0 && command.length > 0 && command[0].equals("status");
        log.println(started + " $ meshfold " + String.join(" ", command) + "\n"
                + (quiet ? "" : out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8))
                + "(exit " + exit + ")");
        return exit + " " + encode(out) + " " + encode(err);
    }

    private static String encode(ByteArrayOutputStream bytes) {
        return bytes.size() == 0 ? "-" : Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
