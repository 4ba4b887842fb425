package org.meshfold.it.traversal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.meshfold.config.DiscoveryConfig;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.PeerConfig;
import org.meshfold.it.Await;
import org.meshfold.it.natlab.Host;
import org.meshfold.it.natlab.NatLab;
import org.meshfold.it.natlab.NatType;
import org.meshfold.it.natlab.Router;

/**
 * Devices keep connecting when a lab service is down: without the rendezvous server, paired
 * devices on one LAN find each other by LAN discovery, and devices that have connected before
 * reconnect through the addresses they cached; without TURN, a pair of cone NATs still punches a
 * direct path. Each test stops a service and starts it again (same address and URL) at its end.
 * Homes and logs are kept in {@code target/natlab/LabOutageTest-*}; a failure prints the end of
 * the daemons' logs. Needs root, iproute2, nftables, conntrack and coturn; skipped otherwise.
 */
class LabOutageTest {
    private static final Duration SYNCED = Duration.ofSeconds(60);

    private static ServicedLab serviced;
    private static NatLab lab;
    private static LabServices services;
    private static Path dir;
    private PairRun pair;
    private Path testDir;

    @BeforeAll
    static void startLab() {
        serviced = ServicedLab.start("LabOutageTest");
        lab = serviced.lab();
        services = serviced.services();
        dir = serviced.dir();
    }

    @AfterAll
    static void stopLab() {
        if (serviced != null) {
            serviced.close();
        }
    }

    @AfterEach
    void closePair() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void rendezvousDown_pairedDevicesOnOneLan_findEachOtherByLanDiscovery(TestInfo test) throws Exception {
        Router router = lab.router("langw", NatType.PORT_RESTRICTED);
        pair = pair(test, lab.hostBehind("lana", router), lab.hostBehind("lanb", router), Set.of(ExpectedPath.LAN));
        LabDevice a = pair.inviter;
        LabDevice b = pair.joiner;
        // Paired as invite and join would leave them, but without each other's addresses: only LAN discovery
        // can bring them together while the rendezvous server is down.
        Files.createDirectories(a.folder());
        Files.createDirectories(b.folder());
        FolderConfig folder = new FolderConfig("lanab-share", "shared", a.folder(), Set.of(b.id()));
        a.configure(c -> c.withDiscovery(DiscoveryConfig.DEFAULT).withFolder(folder)
                .withPeer(new PeerConfig(b.id(), "b", List.of())));
        b.configure(c -> c.withDiscovery(DiscoveryConfig.DEFAULT)
                .withFolder(new FolderConfig("lanab-share", "shared", b.folder(), Set.of(a.id())))
                .withPeer(new PeerConfig(a.id(), "a", List.of())));
        for (LabDevice d : List.of(a, b)) {
            d.cli("config", "set", "rendezvous", services.rendezvous().url()).requireSuccess();
        }
        services.rendezvous().stop();
        try {
            a.start();
            b.start();

            diagnosed(() -> {
                pair.awaitConnected(Instant.now());
                PairRun.Outcome connected = pair.outcome(null);
                assertThat(List.of(connected.pathAtoB(), connected.pathBtoA())).containsOnly(ExpectedPath.LAN);
                awaitExchange(a, b, "over-lan");
            });
        } finally {
            services.rendezvous().start();
        }
    }

    @Test
    void rendezvousDown_cachedAddresses_reconnectAfterRestart(TestInfo test) throws Exception {
        pair = pair(test, lab.publicHost("cachea"), lab.publicHost("cacheb"), Set.of(ExpectedPath.DIRECT));
        LabDevice a = pair.inviter;
        LabDevice b = pair.joiner;
        diagnosed(() -> {
            pair.prepare();
            a.start();
            pair.awaitRendezvousSession(a);
            pair.pair();
            b.start();
            pair.awaitConnected(Instant.now());
        });
        assertThat(b.config().peer(a.id())).as("b's configuration of a").hasValueSatisfying(
                p -> assertThat(p.addresses()).as("a's cached addresses").isNotEmpty());

        services.rendezvous().stop();
        try {
            a.stop();
            b.stop();
            a.start();
            b.start();

            diagnosed(() -> {
                pair.awaitConnected(Instant.now());
                awaitExchange(a, b, "after-restart");
            });
        } finally {
            services.rendezvous().start();
        }
    }

    @Test
    void turnDown_coneToCone_connectsDirect(TestInfo test) {
        Host a = lab.host("conea", NatType.PORT_RESTRICTED);
        Host b = lab.host("coneb", NatType.PORT_RESTRICTED);
        pair = pair(test, a, b, ExpectedPath.between(NatType.PORT_RESTRICTED, NatType.PORT_RESTRICTED));
        services.turn().stop();
        PairRun.Outcome outcome;
        try {
            outcome = pair.run();
        } finally {
            services.turn().start();
        }

        assertThat(outcome.failure()).as(MatrixTable.format(List.of(outcome))).isNull();
        assertThat(outcome.synced()).isTrue();
        assertThat(List.of(outcome.pathAtoB(), outcome.pathBtoA())).containsOnly(ExpectedPath.DIRECT);
    }

    private PairRun pair(TestInfo test, Host a, Host b, Set<String> expected) {
        testDir = dir.resolve(test.getTestMethod().orElseThrow().getName());
        return new PairRun(test.getDisplayName(), a, b, expected, services.rendezvous().url(), testDir);
    }

    /** Writes a new file on each device and waits for each to arrive on the other. */
    private static void awaitExchange(LabDevice a, LabDevice b, String tag) throws Exception {
        Files.writeString(a.file(tag + "-a.txt"), tag + " from a");
        Files.writeString(b.file(tag + "-b.txt"), tag + " from b");
        Await.until("each device to receive the other's " + tag + " file", SYNCED, PairRun.POLL,
                () -> PairRun.hasContent(b.file(tag + "-a.txt"), tag + " from a")
                        && PairRun.hasContent(a.file(tag + "-b.txt"), tag + " from b"), () -> "");
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Runs {@code step}; if it fails, prints the end of both daemons' and both services' logs first. */
    private void diagnosed(Step step) throws Exception {
        try {
            step.run();
        } catch (Exception | AssertionError e) {
            System.out.println("=== " + testDir + " failed: " + e.getMessage() + "\n" + pair.inviter.logTails(80) + "\n"
                    + pair.joiner.logTails(80) + "\n" + services.logTails(30));
            throw e;
        }
    }
}
