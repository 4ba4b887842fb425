package org.meshfold.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.config.ConfigFile;
import org.meshfold.config.NodeConfig;
import org.meshfold.config.RendezvousConfig;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.pairing.Invite;
import org.meshfold.pairing.InviteCodec;
import org.meshfold.pairing.PairingOutcome;
import org.meshfold.rendezvous.RendezvousOptions;
import org.meshfold.rendezvous.RendezvousServer;
import org.slf4j.LoggerFactory;

/**
 * Devices that know each other only through a rendezvous server started in this JVM on loopback
 * (LAN discovery off everywhere): they publish their addresses there, look each other up, and
 * pair through it when an invite code's address is dead.
 */
class RendezvousSyncTest {
    private static final Duration CONNECTED = Duration.ofSeconds(10);
    private static final Duration SYNCED = Duration.ofSeconds(20);

    @TempDir
    Path base;

    private RendezvousServer server;
    private RendezvousConfig viaServer;

    @BeforeEach
    void startServer() throws IOException {
        server = RendezvousServer.start(DeviceIdentity.loadOrCreate(base.resolve("rendezvous")),
                RendezvousOptions.defaults(new InetSocketAddress("127.0.0.1", 0)));
        viaServer = RendezvousConfig.NONE.withServers(List.of(server.url()));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void start_pairedWithoutAddresses_findEachOtherThroughRendezvousAndSync() throws Exception {
        try (TestDevice a = new TestDevice("a", base); TestDevice b = new TestDevice("b", base)) {
            a.pairWith(b);
            b.pairWith(a);
            a.useRendezvous(viaServer, false);
            b.useRendezvous(viaServer, false);
            Files.writeString(a.file("hello.txt"), "found through rendezvous");
            a.start();
            b.start();

            Await.until("a and b to connect through rendezvous", CONNECTED, () -> a.connectedTo(b) && b.connectedTo(a));
            Await.until("b to receive a's file", SYNCED, () -> hasContent(b.file("hello.txt"), "found through rendezvous"));
            assertThat(a.snapshot().rendezvous()).singleElement().satisfies(r -> {
                assertThat(r.url()).isEqualTo(server.url().toString());
                assertThat(r.connected()).isTrue();
                assertThat(r.observedAddress()).startsWith("127.0.0.1:");
            });
        }
    }

    @Test
    void restart_onANewPort_isFoundAgainThroughANewLookup() throws Exception {
        try (TestDevice a = new TestDevice("a", base); TestDevice b = new TestDevice("b", base)) {
            a.pairWith(b);
            b.pairWith(a);
            a.useRendezvous(viaServer, false);
            b.useRendezvous(viaServer, false);
            a.start();
            b.start();
            Await.until("a and b to connect", CONNECTED, () -> a.connectedTo(b));
            InetSocketAddress before = b.listenAddress();

            b.stop();
            Await.until("a to notice b is gone", SYNCED, () -> !a.connectedTo(b));
            b.forgetPort();
            b.start();

            assertThat(b.listenAddress()).isNotEqualTo(before);
            Await.until("a and b to connect again", CONNECTED, () -> a.connectedTo(b) && b.connectedTo(a));
            Files.writeString(a.file("after-move.txt"), "still in sync");
            Await.until("b to receive a file over the new connection", SYNCED,
                    () -> hasContent(b.file("after-move.txt"), "still in sync"));
        }
    }

    @Test
    void start_rendezvousDown_configuredAddressesStillConnectWithAWarning() throws Exception {
        RendezvousConfig dead = RendezvousConfig.NONE.withServers(List.of(server.url()));
        server.close();
        Logger logger = (Logger) LoggerFactory.getLogger("org.meshfold.daemon.RendezvousSessions");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try (TestDevice a = new TestDevice("a", base); TestDevice b = new TestDevice("b", base)) {
            a.pairWith(b);
            b.pairWith(a);
            a.useRendezvous(dead, true);
            b.useRendezvous(dead, true);
            a.start();
            b.start(); // knows a's address now, and dials it

            Await.until("b to connect to a at its configured address", CONNECTED, () -> b.connectedTo(a));
            Await.until("a warning that the rendezvous server is not available", CONNECTED,
                    () -> List.copyOf(logged.list).stream().anyMatch(e -> e.getLevel() == Level.WARN
                            && e.getFormattedMessage().contains("is not available")));
            assertThat(a.snapshot().rendezvous()).singleElement().satisfies(r -> assertThat(r.connected()).isFalse());
        } finally {
            logger.detachAppender(logged);
        }
    }

    @Test
    void join_codeAddressDead_pairsThroughTheCodesRendezvousServer() throws Exception {
        try (TestDevice a = new TestDevice("a", base); TestDevice b = new TestDevice("b", base)) {
            a.useRendezvous(viaServer, false);
            Files.writeString(a.file("shared.txt"), "joined through rendezvous");
            a.start();
            b.start();
            Await.until("a to publish its addresses", CONNECTED, () -> server.recordCount() == 1);

            Invite made = InviteCodec.decode(InviteCodec.encode(a.invite()), Clock.systemUTC());
            assertThat(made.rendezvousUrls()).containsExactly(server.url().toString());
            PairingOutcome outcome = b.join(withAddresses(made, List.of(deadAddress())));

            assertThat(outcome.inviter()).isEqualTo(a.id);
            assertThat(outcome.address().getPort()).isEqualTo(a.listenAddress().getPort());
            Await.until("b to receive a's file", SYNCED,
                    () -> hasContent(b.file("shared.txt"), "joined through rendezvous"));

            Path cHome = base.resolve("c-home");
            Files.createDirectories(cHome);
            String code = InviteCodec.encode(withAddresses(a.invite(), List.of(deadAddress())));
            Cli.Result joined = Cli.run("join", code, base.resolve("c-folder").toString(), "--home", cHome.toString());

            assertThat(joined.exit()).as(joined.out() + joined.err()).isZero();
            assertThat(joined.out()).contains("paired with " + a.id);
            NodeConfig cConfig = ConfigFile.load(cHome);
            assertThat(cConfig.peer(a.id)).hasValueSatisfying(p -> assertThat(p.addresses()).contains(a.listenAddress()));
        }
    }

    @Test
    void configSetRendezvous_malformedUrl_exitsWithTheReason() throws IOException {
        Path home = base.resolve("home");
        ConfigFile.save(home, NodeConfig.defaults("laptop"));

        Cli.Result bad = Cli.run("config", "set", "rendezvous", "mfr://127.0.0.1/NOT-AN-ID", "--home", home.toString());

        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("not a rendezvous URL").contains("mfr://127.0.0.1/NOT-AN-ID");
        assertThat(ConfigFile.load(home).rendezvous()).isEqualTo(RendezvousConfig.NONE);

        Cli.Result good = Cli.run("config", "set", "rendezvous", server.url().toString(), "--home", home.toString());
        Cli.Result turn = Cli.run("config", "set", "turn", "turn:127.0.0.1:3478", "--user", "u", "--password", "p",
                "--home", home.toString());
        Cli.Result shown = Cli.run("config", "get", "--home", home.toString());

        assertThat(good.exit()).as(good.err()).isZero();
        assertThat(turn.exit()).as(turn.err()).isZero();
        assertThat(shown.line("rendezvous:")).isEqualTo(server.url().toString());
        assertThat(shown.line("turn:")).isEqualTo("turn:127.0.0.1:3478 (user u)");
        assertThat(ConfigFile.load(home).rendezvous().turn()).hasValueSatisfying(t -> assertThat(t.password()).isEqualTo("p"));
    }

    private static Invite withAddresses(Invite invite, List<InetSocketAddress> addresses) {
        return new Invite(invite.inviter(), invite.folderId(), invite.folderLabel(), addresses, invite.rendezvousUrls(),
                invite.secret(), invite.expiry());
    }

    /** A loopback port nobody listens on: it was free a moment ago. */
    private static InetSocketAddress deadAddress() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress("127.0.0.1", probe.getLocalPort());
        }
    }

    private static boolean hasContent(Path file, String content) {
        try {
            return Files.isRegularFile(file) && Files.readString(file).equals(content);
        } catch (IOException e) {
            return false;
        }
    }
}
