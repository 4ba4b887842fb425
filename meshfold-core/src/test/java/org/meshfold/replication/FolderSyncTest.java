package org.meshfold.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.index.FileRecord;

class FolderSyncTest {
    @TempDir
    Path tmp;

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void sync_createModifyDelete_twoDevicesConverge() {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            c.get(0).write("a.txt", text("hello"));
            c.get(0).write("dir/sub/b.bin", random(200_000, 1));
            c.connectAll();
            c.awaitConverged();
            assertThat(c.get(1).read("a.txt")).isEqualTo(text("hello"));
            assertThat(c.get(1).read("dir/sub/b.bin")).isEqualTo(random(200_000, 1));

            c.advanceClock(Duration.ofSeconds(1));
            c.get(1).write("a.txt", text("hello again"));
            c.awaitConverged();
            assertThat(c.get(0).read("a.txt")).isEqualTo(text("hello again"));

            c.get(0).delete("dir/sub/b.bin");
            c.awaitConverged();
            assertThat(Files.exists(c.get(1).path("dir/sub/b.bin"))).isFalse();
            assertThat(c.get(1).index.local("dir/sub/b.bin").orElseThrow().deleted()).isTrue();
        }
    }

    @Test
    void sync_threeDevices_changesFromEachConverge() {
        try (TestCluster c = new TestCluster(tmp, 3)) {
            c.connectAll();
            c.get(0).write("one.txt", text("from one"));
            c.get(1).write("two.txt", text("from two"));
            c.get(2).write("d/three.txt", text("from three"));
            c.awaitConverged();
            for (TestDevice d : c.devices) {
                assertThat(d.read("one.txt")).isEqualTo(text("from one"));
                assertThat(d.read("two.txt")).isEqualTo(text("from two"));
                assertThat(d.read("d/three.txt")).isEqualTo(text("from three"));
            }
            c.get(2).delete("one.txt");
            c.awaitConverged();
            assertThat(c.devices).allMatch(d -> !Files.exists(d.path("one.txt")));
        }
    }

    @Test
    void pulledFile_knownAsInstallingFromCompletionUntilItsCommit() {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            TestDevice receiver = c.get(1);
            Map<String, Optional<FileRecord>> atCommit = new ConcurrentHashMap<>();
            receiver.index.beforeLocalCommit(changes -> changes.forEach(
                    r -> atCommit.put(r.name(), receiver.sync.installing(r.name()))));
            c.get(0).write("big.bin", random(300_000, 3));
            c.get(0).write("small.txt", text("small"));
            c.connectAll();
            c.awaitConverged();

            for (String name : List.of("big.bin", "small.txt")) {
                FileRecord committed = receiver.index.local(name).orElseThrow();
                assertThat(atCommit.get(name)).as("%s while its record was committed", name)
                        .hasValueSatisfying(r -> {
                            assertThat(r.version()).isEqualTo(committed.version());
                            assertThat(r.mtimeNanos()).isEqualTo(committed.mtimeNanos());
                            assertThat(r.blocksHash()).isEqualTo(committed.blocksHash());
                        });
                assertThat(receiver.sync.installing(name)).as("%s after its commit", name).isEmpty();
            }
        }
    }

    @Test
    void editInTheMiddleOfLargeFile_blocksOfTheCurrentFileCopied_onlyTheChangedOnesDownloaded() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            byte[] data = random(4_000_000, 4);
            c.get(0).write("big.bin", data);
            c.connectAll();
            c.awaitConverged();
            long downloaded = c.get(1).status().bytesDownloaded();
            long reused = c.get(1).status().bytesReusedLocal();
            byte[] edited = data.clone();
            System.arraycopy(random(10_000, 5), 0, edited, 1_234_567, 10_000);

            c.advanceClock(Duration.ofSeconds(1));
            c.get(0).write("big.bin", edited);
            c.awaitConverged();

            FolderStatus s = c.get(1).status();
            assertThat(c.get(1).read("big.bin")).isEqualTo(edited);
            assertThat(s.bytesDownloaded() - downloaded).isPositive().isLessThan(edited.length / 10);
            assertThat(s.bytesReusedLocal() - reused + s.bytesDownloaded() - downloaded).isEqualTo(edited.length);
        }
    }

    @Test
    void rename_copiesBlocksLocally_transfersNothing() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            byte[] data = random(1_000_000, 2);
            c.get(0).write("old-name.bin", data);
            c.connectAll();
            c.awaitConverged();
            long before = c.get(1).status().bytesDownloaded();

            Files.move(c.get(0).path("old-name.bin"), c.get(0).path("new-name.bin"));
            c.get(0).scan();
            c.awaitConverged();

            FolderStatus s = c.get(1).status();
            assertThat(c.get(1).read("new-name.bin")).isEqualTo(data);
            assertThat(Files.exists(c.get(1).path("old-name.bin"))).isFalse();
            assertThat(s.bytesDownloaded() - before).isZero();
            assertThat(s.bytesReusedLocal()).isEqualTo(data.length);
        }
    }
}
