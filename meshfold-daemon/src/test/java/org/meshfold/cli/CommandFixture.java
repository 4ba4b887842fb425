package org.meshfold.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.api.ApiServer;
import org.meshfold.api.Json;
import picocli.CommandLine;

/**
 * Runs {@code meshfold} commands in this JVM with their output captured, below a fresh directory
 * {@link #base}; whatever a test keeps is closed after it, newest first.
 */
abstract class CommandFixture {
    @TempDir
    Path base;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    <T extends AutoCloseable> T keep(T resource) {
        open.add(resource);
        return resource;
    }

    /** One finished command: its exit code and everything it printed. */
    record Run(int exitCode, String out, String err) {
        JsonNode json() throws IOException {
            return Json.mapper().readTree(out);
        }

        /** The rest of the first output line starting with {@code prefix}, trimmed. */
        String line(String prefix) {
            return out.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).trim())
                    .findFirst().orElseThrow(() -> new AssertionError("no line '" + prefix + "' in:\n" + out + err));
        }
    }

    static Run meshfold(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** A loopback port nothing listens on. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Leaves the API address file a crashed daemon would in {@code home}; returns the closed port it names. */
    static int staleAddressFile(Path home) throws IOException {
        int port = closedPort();
        Files.writeString(home.resolve(ApiServer.ADDRESS_FILE), "127.0.0.1:" + port + "\n");
        return port;
    }
}
