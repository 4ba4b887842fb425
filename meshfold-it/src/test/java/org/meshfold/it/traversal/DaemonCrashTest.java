package org.meshfold.it.traversal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.meshfold.it.Await;
import org.meshfold.it.TestData;
import org.meshfold.it.natlab.NatLab;

/**
 * A daemon dies ({@code kill -9}) in the middle of a transfer of 5,000 small files and is started
 * again: the sync must complete, and nothing the receiver had already verified may be downloaded
 * again. Two devices on public hosts of the NAT lab (sender {@code a}, receiver {@code b}).
 *
 * <p>When the receiver dies, its folder is inspected at once: files in place with the sender's
 * content, and temp files that already hold a whole file's verified content, are what it had
 * verified and kept. After its restart it may download only the rest ({@code bytesDownloaded}
 * counts from the restart), and the files in place must be the very same files (same inode). When
 * the sender dies, the receiver runs on: its {@code bytesDownloaded} counts every verified byte,
 * so it must grow by exactly the size of the files. Homes and logs stay in {@code
 * target/natlab/DaemonCrashTest-*}. Needs root, iproute2, nftables and conntrack.
 */
class DaemonCrashTest {
    private static final int FILES = 5_000;
    private static final Duration TRANSFER = Duration.ofMinutes(3);

    private static NatLab lab;
    private static FaultPair pair;

    @BeforeAll
    static void connect() throws Exception {
        String missing = NatLab.unavailableReason().orElse(null);
        assumeTrue(missing == null, missing);
        lab = NatLab.create();
        pair = FaultPair.direct(lab.publicHost("crasha"), lab.publicHost("crashb"), LabLogs.runDirectory("DaemonCrashTest"));
        pair.start();
        pair.diagnosed(() -> {
            pair.awaitConnected(Duration.ofSeconds(90));
            return null;
        });
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
    void receiverKilledMidTransfer_syncCompletes_nothingVerifiedDownloadedAgain() throws Exception {
        long total = addFiles("first", 1);
        long servedBefore = pair.folder(pair.a).bytesServed();
        Path theirs = pair.a.file("first");
        Path mine = pair.b.file("first");
        pair.diagnosed(() -> {
            Await.until("b to hold half of the files", TRANSFER, Duration.ofMillis(20),
                    () -> KeptFiles.files(mine).size() >= FILES / 2, pair::describe);
            return null;
        });

        pair.b.kill();
        KeptFiles kept = KeptFiles.inspect(mine, theirs);
        pair.b.start();
        pair.diagnosed(() -> {
            awaitAll(mine, theirs);
            return null;
        });

        long downloaded = pair.folder(pair.b).bytesDownloaded();
        long missing = total - kept.inPlaceBytes() - kept.tempBytes();
        long resent = pair.folder(pair.a).bytesServed() - servedBefore - total;
        System.out.printf("b killed (-9) with %d of %d files in place (%d bytes) and %d whole temp files (%d bytes); "
                + "after the restart it downloaded %d bytes, %d were missing: %d downloaded again; the sender sent "
                + "%d bytes twice (%.2f %% of %d; requests in flight and blocks not yet written when b died)%n",
                kept.inPlace().size(), FILES, kept.inPlaceBytes(), kept.tempFiles(), kept.tempBytes(), downloaded,
                missing, downloaded - missing, resent, 100.0 * resent / total, total);
        assertThat(KeptFiles.inodes(mine, kept.inPlace().keySet())).as("files in place when b died, after the sync")
                .isEqualTo(kept.inPlace());
        assertThat(downloaded).as("bytes downloaded after the restart").isLessThanOrEqualTo(missing);
    }

    @Test
    void senderKilledMidTransfer_syncCompletes_everyByteVerifiedOnce() throws Exception {
        long downloadedBefore = pair.folder(pair.b).bytesDownloaded();
        long total = addFiles("second", 2);
        Path theirs = pair.a.file("second");
        Path mine = pair.b.file("second");
        pair.diagnosed(() -> {
            Await.until("b to hold half of the files", TRANSFER, Duration.ofMillis(20),
                    () -> KeptFiles.files(mine).size() >= FILES / 2, pair::describe);
            return null;
        });

        pair.a.kill();
        long held = KeptFiles.files(mine).size();
        pair.a.start();
        pair.diagnosed(() -> {
            awaitAll(mine, theirs);
            return null;
        });

        long downloaded = pair.folder(pair.b).bytesDownloaded() - downloadedBefore;
        System.out.printf("a killed (-9) when b held %d of %d files; after a's restart b completed the sync having "
                + "verified %d bytes for %d bytes of files (%d downloaded twice)%n", held, FILES, downloaded, total,
                downloaded - total);
        assertThat(downloaded).as("bytes b verified for the files").isEqualTo(total);
    }

    /** Writes {@value #FILES} files of 1 to 8 KiB into directory {@code name} of the sender's folder, at once. */
    private static long addFiles(String name, long seed) throws IOException {
        Path staged = pair.dir().resolve(name);
        SplittableRandom random = new SplittableRandom(seed);
        long total = 0;
        for (int i = 0; i < FILES; i++) {
            int size = 1024 + random.nextInt(7 * 1024);
            TestData.writeFile(staged.resolve(String.format("d%02d/f%04d.dat", i % 50, i)), seed * 100_000 + i, size);
            total += size;
        }
        Files.move(staged, pair.a.file(name), StandardCopyOption.ATOMIC_MOVE);
        return total;
    }

    private static void awaitAll(Path mine, Path theirs) {
        Await.until("b to hold every file of " + theirs.getFileName(), TRANSFER, Duration.ofMillis(250),
                () -> KeptFiles.files(mine).size() == FILES && pair.folder(pair.b).needFiles() == 0,
                pair::describe);
        assertThat(KeptFiles.differences(mine, theirs)).as("files that differ from the sender's").isEmpty();
    }
}
