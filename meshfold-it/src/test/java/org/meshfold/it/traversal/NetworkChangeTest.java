package org.meshfold.it.traversal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.meshfold.it.Await;
import org.meshfold.it.natlab.Host;
import org.meshfold.it.natlab.NatLab;
import org.meshfold.it.natlab.NatType;
import org.meshfold.it.natlab.Router;

/**
 * The network changes under two connected devices behind NATs, while a sync of small files runs:
 * a NAT router loses its mappings (conntrack flushed and the cone tables emptied, as a reboot
 * does), and a device moves to another network. The devices reached each other through the lab's
 * rendezvous server (LAN discovery off, no configured addresses), over QUIC on a punched direct
 * path. After each change a file is written on the sender; the time until the receiver holds it
 * shows that the devices talk again and sync. Figures are printed; homes and logs stay in {@code
 * target/natlab/NetworkChangeTest-*}. Needs root, iproute2, nftables, conntrack and coturn.
 */
class NetworkChangeTest {
    private static final Duration NAT_REBOOT_LIMIT = Duration.ofSeconds(5);
    /** The moved device notices its new address within a second and punches again; without that, 20 s of liveness. */
    private static final Duration MOVE_LIMIT = Duration.ofSeconds(10);
    private static final Duration MOVE_WAIT = Duration.ofSeconds(60);

    private static ServicedLab serviced;
    private static NatLab lab;
    private static LabServices services;
    private static Path dir;
    private FaultPair pair;

    @BeforeAll
    static void startLab() {
        serviced = ServicedLab.start("NetworkChangeTest");
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

    /**
     * The sender is behind a symmetric NAT, so after its router's reboot it gets a new public port
     * and the receiver must follow it there; the receiver is behind an address-restricted cone NAT,
     * whose reboot forgets which peers may send in.
     */
    @Test
    void natReboot_mappingsForgotten_devicesTalkAgainWithin5sAndKeepSyncing() throws Exception {
        Router senderNat = lab.router("rebootga", NatType.SYMMETRIC);
        Router receiverNat = lab.router("rebootgb", NatType.ADDRESS_RESTRICTED);
        pair = FaultPair.viaRendezvous(lab.hostBehind("reboota", senderNat), lab.hostBehind("rebootb", receiverNat),
                services.rendezvous().url(), dir.resolve("nat-reboot"));
        pair.start();
        pair.diagnosed(() -> {
            pair.awaitConnected(Duration.ofSeconds(90));
            return null;
        });

        List<String> rows = new ArrayList<>();
        List<Duration> synced = new ArrayList<>();
        try (SteadyWriter steady = SteadyWriter.start(pair.a.folder(), "steady")) {
            for (Router router : List.of(senderNat, receiverNat)) {
                String before = pair.link(pair.b).address();
                Instant flushed = Instant.now();
                lab.flushConntrack(router);
                Duration file = pair.diagnosed(() -> pair.writeAndAwaitAtReceiver("after-reboot-" + router.name() + ".txt",
                        flushed, Duration.ofSeconds(30)));
                Duration heard = pair.diagnosed(() -> pair.awaitHeardAfter(flushed, Duration.ofSeconds(30)));
                synced.add(file);
                rows.add(String.format("%s (%s) rebooted: a file written then reached b after %d ms; both heard each "
                        + "other after %d ms; b sees a at %s, before at %s", router.name(), router.type(),
                        file.toMillis(), heard.toMillis(), pair.link(pair.b).address(), before));
            }
            pair.diagnosed(() -> {
                steady.stopAndAwaitAll(pair.b.folder(), Duration.ofSeconds(60), pair);
                return null;
            });
        }

        System.out.println("NAT reboots during a steady sync:\n" + String.join("\n", rows));
        assertThat(synced).as("time from each reboot until a file written then was synced")
                .allMatch(d -> d.compareTo(NAT_REBOOT_LIMIT) <= 0);
    }

    /**
     * The sender moves from one port-restricted NAT to another: new private and public addresses,
     * its old mappings gone, and the receiver's NAT drops packets from the new public address until
     * the receiver itself sends there, so the devices must punch again. The sender notices its new
     * address and punches at once, rather than when its connection is found dead (20 s).
     */
    @Test
    void addressChange_senderMovesToAnotherNetwork_peersFindItAgainAndSyncResumes() throws Exception {
        Router home = lab.router("movega", NatType.PORT_RESTRICTED);
        Router office = lab.router("movegc", NatType.PORT_RESTRICTED);
        Host sender = lab.hostBehind("movea", home);
        pair = FaultPair.viaRendezvous(sender, lab.host("moveb", NatType.PORT_RESTRICTED), services.rendezvous().url(),
                dir.resolve("address-change"));
        pair.start();
        pair.diagnosed(() -> {
            pair.awaitConnected(Duration.ofSeconds(90));
            return null;
        });

        Duration file;
        FaultPair.LinkView before = pair.link(pair.b);
        try (SteadyWriter steady = SteadyWriter.start(pair.a.folder(), "steady")) {
            Instant moved = Instant.now();
            Host now = lab.move(sender, office);
            file = pair.diagnosed(() -> pair.writeAndAwaitAtReceiver("after-move.txt", moved, MOVE_WAIT));
            pair.diagnosed(() -> {
                Await.until("b to reach a at its new public address " + office.wanAddress(), MOVE_WAIT,
                        FaultPair.POLL, () -> String.valueOf(pair.link(pair.b).address()).startsWith(office.wanAddress()
                                + ":"), pair::describe);
                steady.stopAndAwaitAll(pair.b.folder(), Duration.ofSeconds(60), pair);
                return null;
            });
            FaultPair.LinkView after = pair.link(pair.b);
            String connection = after.connectedSince().equals(before.connectedSince()) ? "the connection carried on"
                    : "a new connection came up " + Duration.between(moved, after.connectedSince()).toMillis()
                    + " ms after the move";
            System.out.printf("a moved from %s (public %s) to %s (public %s): a file written then reached b after %d ms; "
                    + "%s; b sees a at %s, before at %s%n", sender.address(), home.wanAddress(), now.address(),
                    office.wanAddress(), file.toMillis(), connection, after.address(), before.address());
        }
        assertThat(file).as("time from the move until a file written then was synced").isLessThanOrEqualTo(MOVE_LIMIT);
    }
}
