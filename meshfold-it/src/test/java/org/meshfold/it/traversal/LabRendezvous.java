package org.meshfold.it.traversal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.meshfold.it.natlab.Host;

/**
 * {@code meshfold rendezvous --listen IP:PORT --turn-url ... --turn-secret ...} on a public lab
 * host, in its own JVM. The server's identity lives in its home, so a restart after {@link #stop}
 * serves the same {@code mfr://} URL.
 */
final class LabRendezvous implements AutoCloseable {
    static final int PORT = 7443;
    private static final String URL_LINE = "rendezvous url: ";
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Host host;
    private final LabCoturn turn;
    private final Path home;
    private Process process;
    private String url;

    private LabRendezvous(Host host, LabCoturn turn, Path home) {
        this.host = host;
        this.turn = turn;
        this.home = home;
    }

    /** Starts the server on {@code host}, handing out credentials for {@code turn}, and waits for its URL. */
    static LabRendezvous start(Host host, LabCoturn turn, Path home) {
        LabRendezvous server = new LabRendezvous(host, turn, home);
        server.start();
        return server;
    }

    /** The {@code mfr://} URL the server printed. */
    synchronized String url() {
        return url;
    }

    Host host() {
        return host;
    }

    Path log() {
        return home.resolve("rendezvous.out");
    }

    /** Starts the server (again); the URL must stay the one it printed the first time. */
    synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the rendezvous server already runs on " + host);
        }
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + home, e);
        }
        process = host.start(LabJava.meshfold("rendezvous", "--listen", host.address() + ":" + PORT,
                "--turn-url", turn.url(), "--turn-secret", turn.secret(), "--home", home.toString()));
        CompletableFuture<String> printed = new CompletableFuture<>();
        Process p = process;
        Thread reader = new Thread(() -> copyOutput(p, printed), "rendezvous-output");
        reader.setDaemon(true);
        reader.start();
        String announced;
        try {
            announced = printed.get(STARTUP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            stop();
            throw new AssertionError("the rendezvous server on " + host + " printed no '" + URL_LINE + "' line within "
                    + STARTUP + ":\n" + LabLogs.tail(log(), 40), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while starting the rendezvous server", e);
        }
        if (url != null && !url.equals(announced)) {
            throw new AssertionError("the restarted rendezvous server serves " + announced + ", not " + url);
        }
        url = announced;
    }

    /** Copies the server's output to its log and completes {@code printed} with the URL it announces. */
    private void copyOutput(Process p, CompletableFuture<String> printed) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintStream out = new PrintStream(Files.newOutputStream(log(), java.nio.file.StandardOpenOption.CREATE,
                     java.nio.file.StandardOpenOption.APPEND), true, StandardCharsets.UTF_8)) {
            Thread errors = new Thread(() -> {
                try {
                    p.getErrorStream().transferTo(out);
                } catch (IOException e) {
                    // The server exited.
                }
            }, "rendezvous-errors");
            errors.setDaemon(true);
            errors.start();
            String line;
            while ((line = r.readLine()) != null) {
                out.println(line);
                if (line.startsWith(URL_LINE)) {
                    printed.complete(line.substring(URL_LINE.length()).trim());
                }
            }
            printed.completeExceptionally(new IllegalStateException("the rendezvous server exited"));
        } catch (IOException e) {
            printed.completeExceptionally(e);
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL): every device session to it ends. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }
}
