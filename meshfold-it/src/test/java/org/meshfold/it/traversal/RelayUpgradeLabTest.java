package org.meshfold.it.traversal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.meshfold.it.Await;
import org.meshfold.it.natlab.NatLab;
import org.meshfold.it.natlab.NatType;
import org.meshfold.it.natlab.Router;
import org.meshfold.it.traversal.LabDevice.PeerView;
import org.meshfold.it.traversal.LabTransfer.Sample;

/**
 * Relayed connections that become punchable: two devices behind cone NATs (port-restricted and
 * address-restricted, a pair that punches a direct path) pair through the lab's rendezvous server
 * while the first router drops all UDP to and from the second router's public address, so they
 * can only connect through TURN. Removing the drop makes a punch possible: the connection must move
 * to the direct path by itself, without being replaced, also in the middle of a transfer.
 *
 * <p>Also measures the transfer rate of one file over the relayed and over the direct path of
 * such a pair. Sizes: {@code -Drelayupgrade.mib=N} (the file moved during the upgrade, default
 * 320) and {@code -Drelayupgrade.throughput.mib=N} (each measured file, default 200). The daemons
 * run with the full JIT, as the launcher starts them. Homes and logs are kept in
 * {@code target/natlab/RelayUpgradeLabTest-*} (the large files are deleted). Needs root, iproute2,
 * nftables, conntrack and coturn; skipped otherwise.
 */
class RelayUpgradeLabTest {
    private static final long MIB = 1 << 20;
    private static final long UPGRADE_BYTES = Long.getLong("relayupgrade.mib", 320) * MIB;
    private static final long MEASURED_BYTES = Long.getLong("relayupgrade.throughput.mib", 200) * MIB;
    private static final long WARMUP_BYTES = 64 * MIB;
    /** The upgrade starts once this much has arrived over the relay: the transfer is under way. */
    private static final long UNBLOCK_AFTER = 16 * MIB;
    private static final Duration TRANSFER = Duration.ofSeconds(120);
    private static final Duration UPGRADE = Duration.ofSeconds(20);
    private static final NatType INVITER_NAT = NatType.PORT_RESTRICTED;
    private static final NatType JOINER_NAT = NatType.ADDRESS_RESTRICTED;

    private static ServicedLab serviced;
    private static NatLab lab;
    private static LabServices services;
    private static Path dir;
    private final List<LabTransfer> transfers = new ArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();
    private PairRun pair;
    private Router inviterRouter;
    private String joinerWan;

    @BeforeAll
    static void startLab() {
        serviced = ServicedLab.start("RelayUpgradeLabTest");
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

    @RegisterExtension
    final TestWatcher logsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (pair != null) {
                System.out.println("=== " + context.getDisplayName() + " failed: " + cause.getMessage() + "\n"
                        + pair.inviter.logTails(80) + "\n" + pair.joiner.logTails(80) + "\n" + services.logTails(30));
            }
        }
    };

    @AfterEach
    void closePair() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (pair != null) {
            pair.close();
        }
        transfers.forEach(LabTransfer::deleteCopies);
    }

    @Test
    void relayedTransfer_punchBecomesPossible_movesToDirectWithoutReconnecting(TestInfo test) {
        LabDevice a = relayedPair(test, "up");
        LabDevice b = pair.joiner;
        LabEvents aEvents = follow(a);
        LabEvents bEvents = follow(b);
        LabTransfer transfer = transfer(a, b, "upgrade.bin", UPGRADE_BYTES);
        Sample first = transfer.sample();
        assertThat(first.bothOn(ExpectedPath.RELAYED)).as("before the transfer: " + first.paths()).isTrue();
        Consumer<Sample> sameConnection = s -> assertSameConnection(first, s);

        transfer.sampleUntil("the transfer to be under way over the relay", TRANSFER,
                sameConnection.andThen(s -> assertThat(s.bothOn(ExpectedPath.RELAYED)).as(s.paths()).isTrue()),
                s -> s.received() >= UNBLOCK_AFTER);
        inviterRouter.unblockUdp(joinerWan);
        Instant unblocked = Instant.now();
        List<Sample> upgrading = transfer.sampleUntil("both devices to report the direct path", UPGRADE,
                sameConnection, s -> s.bothOn(ExpectedPath.DIRECT));
        Sample direct = upgrading.getLast();
        assertThat(transfer.arrived()).as("the file arrived before the path became direct: use a larger file").isFalse();
        transfer.awaitArrival(TRANSFER, sameConnection.andThen(
                s -> assertThat(s.bothOn(ExpectedPath.DIRECT)).as("after the upgrade: " + s.paths()).isTrue()));
        transfer.verify();

        for (LabEvents events : List.of(aEvents, bEvents)) {
            assertThat(events.ofType("device-disconnected", "device-connected", "device-reconnected"))
                    .as("connection events during the transfer").isEmpty();
            assertThat(events.ofType("device-path-changed")).as("path changes during the transfer")
                    .anySatisfy(e -> assertThat(e.data()).contains("\"to\":\"direct"));
        }
        figure(String.format(Locale.ROOT, "relayed → direct mid-transfer (%s / %s, %d MiB file, %s): both devices"
                        + " report direct %.2f s after the unblock (event streams: %s, %s), when %d MiB had arrived;"
                        + " one connection throughout (connected since %s / %s)%s",
                name(INVITER_NAT), name(JOINER_NAT), transfer.size() / MIB, first.senderSeesReceiver().transport(),
                seconds(unblocked, direct.at()), firstDirect("a", aEvents, unblocked),
                firstDirect("b", bEvents, unblocked), direct.received() / MIB,
                first.senderSeesReceiver().connectedSince(), first.receiverSeesSender().connectedSince(), load()));
    }

    @Test
    void transferRate_relayedAndDirect_measuredOnOnePair(TestInfo test) {
        LabDevice a = relayedPair(test, "rate");
        LabDevice b = pair.joiner;
        measure(a, b, "warmup.bin", WARMUP_BYTES, ExpectedPath.RELAYED);
        Rate relayed = measure(a, b, "relayed.bin", MEASURED_BYTES, ExpectedPath.RELAYED);
        inviterRouter.unblockUdp(joinerWan);
        Await.until("both devices to report the direct path", UPGRADE, PairRun.POLL,
                () -> isDirect(a.peer(b.id())) && isDirect(b.peer(a.id())),
                () -> "(a sees " + a.peer(b.id()) + ", b sees " + b.peer(a.id()) + ")");
        Rate direct = measure(a, b, "direct.bin", MEASURED_BYTES, ExpectedPath.DIRECT);

        figure(String.format(Locale.ROOT, "transfer rate in the NAT lab (%s / %s, one %d MiB file each, quic):"
                        + " relayed %.1f MB/s, direct %.1f MB/s, direct/relayed %.2f; CPU s per GiB synced:"
                        + " relayed %.1f (both daemons) + %.1f (coturn), direct %.1f%s",
                name(INVITER_NAT), name(JOINER_NAT), MEASURED_BYTES / MIB, relayed.bytesPerSecond() / 1e6,
                direct.bytesPerSecond() / 1e6, direct.bytesPerSecond() / relayed.bytesPerSecond(),
                relayed.daemonsCpuPerGib(), relayed.turnCpuPerGib(), direct.daemonsCpuPerGib(), load()));
        assertThat(relayed.bytesPerSecond()).isPositive();
        assertThat(direct.bytesPerSecond()).isPositive();
    }

    /**
     * Pairs a device behind {@link #INVITER_NAT} (the inviter, returned) with one behind
     * {@link #JOINER_NAT} while the inviter's router drops UDP to and from the joiner's router,
     * and checks that they connect and sync over the relay.
     */
    private LabDevice relayedPair(TestInfo test, String prefix) {
        inviterRouter = lab.router(prefix + "gwa", INVITER_NAT);
        Router joinerRouter = lab.router(prefix + "gwb", JOINER_NAT);
        joinerWan = joinerRouter.wanAddress();
        inviterRouter.blockUdp(joinerWan);
        pair = new PairRun(test.getDisplayName(), lab.hostBehind(prefix + "a", inviterRouter),
                lab.hostBehind(prefix + "b", joinerRouter), Set.of(ExpectedPath.RELAYED), services.rendezvous().url(),
                dir.resolve(test.getTestMethod().orElseThrow().getName()));
        pair.inviter.fullJit(true);
        pair.joiner.fullJit(true);
        PairRun.Outcome outcome = pair.run();
        assertThat(outcome.failure()).as(MatrixTable.format(List.of(outcome))).isNull();
        assertThat(List.of(outcome.pathAtoB(), outcome.pathBtoA())).as("paths while the punch is blocked")
                .containsOnly(ExpectedPath.RELAYED);
        return pair.inviter;
    }

    /** How fast one file moved, and the CPU time spent on it (from writing it to its arrival), per GiB. */
    private record Rate(double bytesPerSecond, double daemonsCpuPerGib, double turnCpuPerGib) {
    }

    /** Sends one file and measures it; both devices must stay on {@code path} throughout. */
    private Rate measure(LabDevice from, LabDevice to, String name, long bytes, String path) {
        Duration daemons = from.daemonCpu().plus(to.daemonCpu());
        Duration turn = services.turn().cpu();
        LabTransfer t = transfer(from, to, name, bytes);
        List<Sample> samples = t.awaitArrival(TRANSFER,
                s -> assertThat(s.bothOn(path)).as(name + " on the " + path + " path: " + s.paths()).isTrue());
        double gib = (double) bytes / (1 << 30);
        Rate rate = new Rate(LabTransfer.bytesPerSecond(samples),
                from.daemonCpu().plus(to.daemonCpu()).minus(daemons).toNanos() / 1e9 / gib,
                services.turn().cpu().minus(turn).toNanos() / 1e9 / gib);
        t.verify();
        return rate;
    }

    private LabTransfer transfer(LabDevice from, LabDevice to, String name, long bytes) {
        LabTransfer t = LabTransfer.start(from, to, name, bytes);
        transfers.add(t);
        return t;
    }

    private LabEvents follow(LabDevice device) {
        LabEvents events = LabEvents.follow(device);
        open.add(events);
        return events;
    }

    private static boolean isDirect(Optional<PeerView> view) {
        return view.map(v -> v.connected() && ExpectedPath.DIRECT.equals(v.path())).orElse(false);
    }

    private static void assertSameConnection(Sample first, Sample now) {
        for (PeerView[] views : new PeerView[][] {{first.senderSeesReceiver(), now.senderSeesReceiver()},
                {first.receiverSeesSender(), now.receiverSeesSender()}}) {
            assertThat(views[1]).as("a device's view of the other").isNotNull();
            assertThat(views[1].connected()).as("still connected: " + now.paths()).isTrue();
            assertThat(views[1].connectedSince()).as("the connection's start (a new one means it was replaced)")
                    .isEqualTo(views[0].connectedSince());
        }
    }

    /** When {@code events} first showed a change to the direct path, in seconds after {@code since}. */
    private static String firstDirect(String device, LabEvents events, Instant since) {
        return events.ofType("device-path-changed").stream().filter(e -> e.data().contains("\"to\":\"direct"))
                .findFirst().map(e -> String.format(Locale.ROOT, "%s %.2f s", device, seconds(since, e.at())))
                .orElse(device + " never");
    }

    /** Prints a measured figure and appends it to {@code figures.txt} in the run's directory. */
    private static void figure(String line) {
        System.out.println(line);
        try {
            Files.writeString(dir.resolve("figures.txt"), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the figures to " + dir, e);
        }
    }

    /** The machine's load while measuring: the lab shares its cores with everything else running. */
    private static String load() {
        try {
            String[] avg = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return String.format(Locale.ROOT, " [load average %s on %d cores]", avg[0],
                    Runtime.getRuntime().availableProcessors());
        } catch (IOException e) {
            return "";
        }
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    private static String name(NatType type) {
        return type.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
