package org.meshfold.it.traversal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.meshfold.it.Await;
import org.meshfold.it.TestData;
import org.meshfold.it.natlab.Host;
import org.meshfold.it.natlab.NatLab;

/**
 * A transfer over a very bad link: {@value #LOSS_PERCENT} % of the packets lost and
 * {@value #DELAY_MILLIS} ms added, each way ({@link ImpairedOverlay}: the kernels' own TCP, the
 * wire in userspace). Two devices on public lab hosts, dialling each other's overlay address over
 * TCP + TLS; a file (4 MiB, or {@code meshfold.lossy.mib}) must arrive byte-identical, without the
 * connection being replaced, and the round trip makes the dialer open lanes beside it. Its
 * throughput, the round-trip time the devices measured, the relay's loss counts and the sender's
 * TCP connections with their congestion control's bandwidth estimates ({@code ss -ti}) are printed.
 * Needs root, iproute2, ethtool and the kernel's VXLAN; skipped otherwise.
 *
 * <p>The full measurement: {@code mvn -o -pl meshfold-it -am verify -Dtest=LossyLinkTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dmeshfold.lossy.mib=100}.
 */
class LossyLinkTest {
    private static final int LOSS_PERCENT = 30;
    private static final long DELAY_MILLIS = 100;
    /** MiB to transfer: {@code -Dmeshfold.lossy.mib=100} for the full measurement (about 10 minutes). */
    private static final long SIZE = Long.getLong("meshfold.lossy.mib", 4) << 20;
    private static final Duration TRANSFER = Duration.ofMinutes(5).plusSeconds(SIZE / 50_000);

    @Test
    void thirtyPercentLossAnd100msEachWay_transferCompletesByteIdenticalWithoutReconnecting() throws Exception {
        String missing = NatLab.unavailableReason().orElse(null);
        assumeTrue(missing == null, missing);
        Path dir = LabLogs.runDirectory("LossyLinkTest");
        try (NatLab lab = NatLab.create()) {
            Host sender = lab.publicHost("lossya");
            Host receiver = lab.publicHost("lossyb");
            try (ImpairedOverlay overlay = ImpairedOverlay.start(sender, receiver, lab.publicHost("lossyw"),
                    LOSS_PERCENT / 100.0, Duration.ofMillis(DELAY_MILLIS), dir);
                    FaultPair pair = FaultPair.direct(sender, ImpairedOverlay.A_ADDRESS, receiver,
                            ImpairedOverlay.B_ADDRESS, dir)) {
                pair.a.fullJit(true);
                pair.b.fullJit(true);
                pair.start();
                pair.diagnosed(() -> {
                    pair.awaitConnected(Duration.ofMinutes(3));
                    return null;
                });
                Path staged = pair.dir().resolve("lossy.bin");
                TestData.writeLarge(staged, 53, SIZE);

                Instant start = Instant.now();
                Files.move(staged, pair.a.file("lossy.bin"), StandardCopyOption.ATOMIC_MOVE);
                pair.diagnosed(() -> {
                    Await.until("b to hold all of lossy.bin", TRANSFER, Duration.ofMillis(250),
                            () -> pair.folder(pair.b).needFiles() == 0 && Files.exists(pair.b.file("lossy.bin")),
                            pair::describe);
                    return null;
                });
                Duration took = Duration.between(start, Instant.now());
                long rtt = rttMillis(pair.b, pair.a);
                FaultPair.LinkView link = pair.link(pair.b);
                String tcp = sender.exec("ss", "-tiH", "(", "sport", "=", ":22000", "or", "dport", "=", ":22000", ")").output();
                long connections = tcp.lines().filter(l -> l.startsWith("ESTAB")).count();
                String estimates = Pattern.compile("bbr:\\(bw:([^,)]+)").matcher(tcp).results()
                        .map(m -> m.group(1)).collect(Collectors.joining(" "));
                overlay.close();

                System.out.printf("%d KiB over %d %% loss and %d ms each way: %.1f s, %.1f KB/s (%s); RTT measured "
                                + "by b: %d ms; relay: %s%nsender's TCP connections (main + lanes): %d, BBR bandwidth "
                                + "estimates: %s%n", SIZE >> 10, LOSS_PERCENT, DELAY_MILLIS, took.toMillis() / 1000.0,
                        SIZE / (took.toMillis() / 1000.0) / 1e3, link, rtt, overlay.counts(), connections, estimates);
                assertThat(connections).as("main connection and its lanes").isGreaterThan(1);
                assertThat(Files.mismatch(pair.a.file("lossy.bin"), pair.b.file("lossy.bin")))
                        .as("b's copy of lossy.bin").isEqualTo(-1);
                assertThat(rtt).as("round trip over the overlay").isGreaterThanOrEqualTo(2 * DELAY_MILLIS);
                assertThat(link.connectedSince()).as("connected since before the transfer").isBefore(start);
            }
        }
    }

    /** The round-trip time {@code device} reports for its connection to {@code other}. */
    private static long rttMillis(LabDevice device, LabDevice other) {
        for (JsonNode d : device.liveStatus().orElseThrow().path("devices")) {
            if (d.path("id").asText().equals(other.id().toString())) {
                return d.path("rttMillis").asLong(-1);
            }
        }
        throw new AssertionError(device + " does not list " + other);
    }
}
