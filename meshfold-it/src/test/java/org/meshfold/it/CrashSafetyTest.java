package org.meshfold.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.config.DiscoveryConfig;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;
import org.meshfold.config.PeerConfig;
import org.meshfold.config.RendezvousConfig;

/**
 * Kills a receiving daemon (a real process) with SIGKILL at random moments of a transfer of a
 * 1 GiB file and 5,000 small files, 20 times. After every kill no file at its final path may
 * differ from the sender's version (no torn files); after the last restart the sync completes,
 * and the bytes sent more than once stay small because verified blocks in temp files are kept.
 */
class CrashSafetyTest {
    private static final long BIG = 1L << 30;
    private static final int KILLS = 20;

    @TempDir
    Path base;

    @Test
    void killReceiverTwentyTimes_noTornFiles_andTransferResumes() throws IOException {
        TestDevice sender = new TestDevice("sender", base);
        TestDevice receiver = new TestDevice("receiver", base);
        sender.pairWith(receiver);
        TestData.writeLarge(sender.file("big.bin"), 3, BIG);
        SplittableRandom random = new SplittableRandom(11);
        long total = BIG;
        for (int i = 0; i < 5_000; i++) {
            int size = 1024 + random.nextInt(3 * 1024);
            TestData.writeFile(sender.file(String.format("small/%02d/f%04d.dat", i % 50, i)), 1000 + i, size);
            total += size;
        }
        Map<String, String> expected = contentHashes(sender.folder);
        sender.start();
        InetSocketAddress senderAddress = new InetSocketAddress("127.0.0.1", senderPort(sender));
        NodeConfig receiverConfig = new NodeConfig("receiver", new InetSocketAddress("127.0.0.1", 0),
                List.of(new FolderConfig(TestDevice.FOLDER, TestDevice.FOLDER, receiver.folder, Set.of(sender.id))),
                List.of(new PeerConfig(sender.id, "sender", List.of(senderAddress))),
                Duration.ofMinutes(10), Duration.ofMillis(100), DiscoveryConfig.OFF, RendezvousConfig.NONE, false);

        double[] moments = random.doubles(KILLS, 0.02, 0.98).sorted().toArray();
        long servedTotal;
        try (DaemonProcess daemon = new DaemonProcess(receiver.home, receiverConfig)) {
            for (int k = 0; k < KILLS; k++) {
                long target = (long) (moments[k] * total);
                daemon.start();
                Await.until("sender to have served " + target + " bytes", Duration.ofMinutes(3),
                        () -> served(sender) >= target || !daemon.alive());
                assertThat(daemon.alive()).as("receiver daemon still running before kill %d", k).isTrue();
                daemon.kill();
                assertNoTornFiles(receiver.folder, expected);
            }
            daemon.start();
            Await.until("receiver to hold every file", Duration.ofMinutes(5),
                    () -> Cluster.quick(receiver.folder).keySet().containsAll(expected.keySet())
                            && Cluster.quick(receiver.folder).equals(Cluster.quick(sender.folder)));
            assertThat(contentHashes(receiver.folder)).isEqualTo(expected);
            servedTotal = served(sender);
        } finally {
            sender.stop();
        }
        long resent = servedTotal - total;
        System.out.printf("crash test: %d kills, %d bytes to transfer, %d bytes served, %d re-sent (%.2f%%)%n",
                KILLS, total, servedTotal, resent, 100.0 * resent / total);
        // Each kill may lose at most the requests in flight (16 MiB per peer) plus what was
        // received but not yet written; everything verified in temp files must be kept.
        assertThat(resent).isLessThan(KILLS * (32L << 20));
    }

    private static long served(TestDevice d) {
        return d.status().bytesServed();
    }

    private static int senderPort(TestDevice d) {
        return d.listenAddress().getPort();
    }

    /** Every regular file at a final path must be exactly the sender's version. */
    private static void assertNoTornFiles(Path folder, Map<String, String> expected) {
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(".meshfold-tmp-"))
                    .forEach(p -> {
                        String name = folder.relativize(p).toString();
                        assertThat(expected).as("unexpected file %s", name).containsKey(name);
                        try {
                            assertThat(TreeSnapshot.sha256(p)).as("content of %s", name).isEqualTo(expected.get(name));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> contentHashes(Path folder) {
        Map<String, String> out = new java.util.TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                if (!p.getFileName().toString().startsWith(".meshfold-tmp-")) {
                    out.put(folder.relativize(p).toString(), TreeSnapshot.sha256(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
