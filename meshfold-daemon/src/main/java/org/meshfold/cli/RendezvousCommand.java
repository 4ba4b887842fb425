package org.meshfold.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.rendezvous.RendezvousOptions;
import org.meshfold.rendezvous.RendezvousServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs a rendezvous server in the foreground until SIGTERM/SIGINT. Its identity lives in
 * {@code <home>/rendezvous/}, apart from the device identity of the same home.
 */
@Command(name = "rendezvous", mixinStandardHelpOptions = true,
        description = "Run a rendezvous server: devices publish signed addresses, find each other, punch through NATs.")
final class RendezvousCommand implements Callable<Integer> {
    /** TURN credentials handed out are valid this long (coturn checks the expiry in the username). */
    private static final Duration TURN_CREDENTIAL_TTL = Duration.ofHours(12);

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    HomeOption home;

    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", description = "Where devices connect (port 0: any free port).")
    String listen;

    @Option(names = "--turn-url", paramLabel = "turn:HOST:PORT", description = "The coturn server devices may relay through.")
    String turnUrl;

    @Option(names = "--turn-secret", paramLabel = "SECRET", description = "coturn's static-auth-secret (use-auth-secret).")
    String turnSecret;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if ((turnUrl == null) != (turnSecret == null)) {
            throw new IllegalArgumentException("--turn-url and --turn-secret go together: give both or neither");
        }
        RendezvousOptions options = RendezvousOptions.defaults(hostPort(listen));
        if (turnUrl != null) {
            options = options.withTurn(new RendezvousOptions.Turn(turnUrl, turnSecret, TURN_CREDENTIAL_TTL));
        }
        Path homeDir = home.resolve();
        DeviceIdentity identity = DeviceIdentity.loadOrCreate(homeDir.resolve("rendezvous"));
        Logging.addFileLog(homeDir.resolve("rendezvous").resolve("rendezvous.log"));
        RendezvousServer server = RendezvousServer.start(identity, options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "meshfold-rendezvous-shutdown"));
        spec.commandLine().getOut().println("rendezvous url: " + server.url());
        spec.commandLine().getOut().flush();
        stopped.await();
        return ExitCodes.OK;
    }

    private static InetSocketAddress hostPort(String text) {
        URI uri;
        try {
            uri = URI.create("tcp://" + text.trim());
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("--listen: '" + text + "' is not HOST:PORT");
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return new InetSocketAddress(host, uri.getPort());
    }
}
