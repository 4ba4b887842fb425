package org.meshfold.it.traversal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.meshfold.it.Await;
import org.meshfold.it.TestData;
import org.meshfold.it.natlab.Host;
import org.meshfold.it.natlab.NatLab;

/**
 * The receiver's link is cut in the middle of transfers and restored: the devices must hear each
 * other again within {@value #RECONNECT_LIMIT_MILLIS} ms of the link's return, the transfer must
 * complete, and little may be sent twice. Two devices on public hosts of the NAT lab, connected
 * over TCP + TLS (sender {@code a}, receiver {@code b}).
 *
 * <p>A 1 GiB file has its transfer cut at about 0 %, 50 % and 95 % for 10 s each; the bytes sent
 * twice are the sender's {@code bytesServed} beyond the file's size. Twenty more cuts of 4 s during
 * a steady sync of small files give the distribution of reconnection times (its 95th percentile
 * must be within the limit too; single cuts may be slower when the machine is busy): after 1.4 s
 * without an answer TCP's retransmission timer has reached its 1 s cap, so a 4 s cut ends in the
 * same state as a 10 s one, while without the cap (retransmissions 0.2, 0.6, 1.4, 3.0 and 6.2 s
 * after the loss) the next one would come more than 2 s after the link's return. The figures are printed; homes and logs stay in {@code target/natlab/LinkCutTest-*}.
 * Needs root, iproute2, nftables and conntrack; skipped otherwise.
 */
class LinkCutTest {
    static final long RECONNECT_LIMIT_MILLIS = 2_000;
    private static final Duration RECONNECT_LIMIT = Duration.ofMillis(RECONNECT_LIMIT_MILLIS);
    private static final long SIZE = 1L << 30;
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    /** The last cut leaves 50 MiB: at 98.5 % the rest sometimes arrived before the cut was in place. */
    private static final double[] CUT_AT = {0, 0.5, 0.95};
    private static final int LOOP_CUTS = 20;
    private static final Duration LOOP_OUTAGE = Duration.ofSeconds(4);
    private static final Duration TRANSFER = Duration.ofMinutes(5);

    private static NatLab lab;
    private static Host receiver;
    private static FaultPair pair;

    @BeforeAll
    static void connect() throws IOException {
        String missing = NatLab.unavailableReason().orElse(null);
        assumeTrue(missing == null, missing);
        Path dir = LabLogs.runDirectory("LinkCutTest");
        lab = NatLab.create();
        receiver = lab.publicHost("cutb");
        pair = FaultPair.direct(lab.publicHost("cuta"), receiver, dir);
        pair.a.fullJit(true);
        pair.b.fullJit(true);
        pair.start();
        pair.awaitConnected(Duration.ofSeconds(90));
    }

    @AfterAll
    static void close() {
        if (pair != null) {
            pair.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void receiverCutAtStartMiddleAndEnd_transferCompletes_reconnectsWithin2s_resendsUnder5Percent() throws Exception {
        Path staged = pair.dir().resolve("big.bin");
        TestData.writeLarge(staged, 41, SIZE);
        long servedBefore = pair.folder(pair.a).bytesServed();
        long downloadedBefore = pair.folder(pair.b).bytesDownloaded();
        // Appears whole in the folder, so the sender scans it once.
        Files.move(staged, pair.a.file("big.bin"), StandardCopyOption.ATOMIC_MOVE);

        List<Outage> cuts = new ArrayList<>();
        List<Long> cutAtBytes = new ArrayList<>();
        for (double at : CUT_AT) {
            long target = Math.max(1, (long) (at * SIZE));
            Await.until("b to have downloaded " + target + " bytes of big.bin", TRANSFER, Duration.ZERO,
                    () -> pair.folder(pair.b).bytesDownloaded() - downloadedBefore >= target, pair::describe);
            cutAtBytes.add(pair.folder(pair.b).bytesDownloaded() - downloadedBefore);
            cuts.add(pair.diagnosed(() -> Outage.cut(String.format("at %.0f %%", 100.0 * cutAtBytes.getLast() / SIZE),
                    lab, receiver, pair, OUTAGE)));
        }
        pair.diagnosed(() -> {
            Await.until("b to hold all of big.bin", TRANSFER, Duration.ofMillis(250), () -> {
                FaultPair.FolderView b = pair.folder(pair.b);
                return b.needFiles() == 0 && Files.exists(pair.b.file("big.bin"));
            }, pair::describe);
            return null;
        });
        long resent = pair.folder(pair.a).bytesServed() - servedBefore - SIZE;

        System.out.printf("1 GiB transfer, receiver's link cut for %d s three times:%n%s%nsent twice: %d bytes "
                + "(%.3f %% of the file)%n", OUTAGE.toSeconds(), cuts.stream().map(Outage::toString)
                .collect(Collectors.joining("\n")), resent, 100.0 * resent / SIZE);
        assertThat(cutAtBytes).as("every cut came before the transfer ended").allMatch(b -> b < SIZE);
        assertThat(Files.mismatch(pair.a.file("big.bin"), pair.b.file("big.bin"))).as("b's copy of big.bin").isEqualTo(-1);
        assertThat(cuts).as("reconnection within %s of the link's return", RECONNECT_LIMIT)
                .allMatch(c -> c.resumedAfter().compareTo(RECONNECT_LIMIT) <= 0);
        assertThat(resent).as("bytes sent twice").isBetween(0L, SIZE / 20);
    }

    @Test
    void twentyCutsDuringSteadySync_reconnectionTimes_p95WithinTwoSeconds() throws Exception {
        List<Outage> cuts = new ArrayList<>();
        try (SteadyWriter steady = SteadyWriter.start(pair.a.folder(), "steady")) {
            for (int i = 1; i <= LOOP_CUTS; i++) {
                String label = "cut " + i;
                cuts.add(pair.diagnosed(() -> Outage.cut(label, lab, receiver, pair, LOOP_OUTAGE)));
            }
            pair.diagnosed(() -> {
                steady.stopAndAwaitAll(pair.b.folder(), Duration.ofSeconds(60), pair);
                return null;
            });
        }

        System.out.printf("%d cuts of %d s during a steady sync, reconnection after the link returned: p50 %d ms, "
                + "p95 %d ms, max %d ms%n%s%n", cuts.size(), LOOP_OUTAGE.toSeconds(),
                Outage.percentile(cuts, 50).toMillis(), Outage.percentile(cuts, 95).toMillis(),
                Outage.percentile(cuts, 100).toMillis(),
                cuts.stream().map(Outage::toString).collect(Collectors.joining("\n")));
        assertThat(Outage.percentile(cuts, 95)).as("95th percentile of the reconnection times")
                .isLessThanOrEqualTo(RECONNECT_LIMIT);
    }
}
