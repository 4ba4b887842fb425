package org.meshfold.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FileType;

class BatchFinishTest {
    @TempDir
    Path tmp;

    @Test
    void pull_manySmallFiles_committedInFewBatches() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            int files = 400;
            for (int i = 0; i < files; i++) {
                Files.writeString(c.get(0).path("small-" + i + ".txt"), "small file " + i);
            }
            c.get(0).scan();
            c.connectAll();
            c.awaitConverged();

            assertThat(c.get(1).status().filesPulled()).isEqualTo(files);
            assertThat(c.get(1).index.localCommits()).isLessThan(files / 10);
            for (int i = 0; i < files; i += 37) {
                assertThat(Files.readString(c.get(1).path("small-" + i + ".txt"))).isEqualTo("small file " + i);
            }
        }
    }

    @Test
    void pull_finishedFile_hasPermissionsAndNanosecondMtimeOfItsRecord() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            Path p = c.get(0).path("script.sh");
            Files.writeString(p, "#!/bin/sh\necho hi\n");
            DiskState.setPermissions(p, 0750);
            DiskState.setMtime(p, 1_700_000_000_123_456_789L);
            c.get(0).scan();
            c.connectAll();
            c.awaitConverged();

            Path q = c.get(1).path("script.sh");
            FileRecord r = c.get(1).index.local("script.sh").orElseThrow();
            assertThat(DiskState.permissions(q)).isEqualTo(0750);
            assertThat(r.mtimeNanos()).isEqualTo(1_700_000_000_123_456_789L);
            assertThat(DiskState.matches(q, r)).isTrue();
        }
    }

    @Test
    void pull_permissionChangeOnly_updatesWithoutTransfer() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            c.get(0).write("tool", "binary".getBytes(StandardCharsets.UTF_8));
            c.connectAll();
            c.awaitConverged();
            long before = c.get(1).status().bytesDownloaded() + c.get(1).status().bytesReusedLocal();

            DiskState.setPermissions(c.get(0).path("tool"), 0755);
            c.get(0).scan();
            c.awaitConverged();
            assertThat(DiskState.permissions(c.get(1).path("tool"))).isEqualTo(0755);
            assertThat(c.get(1).status().bytesDownloaded() + c.get(1).status().bytesReusedLocal()).isEqualTo(before);
        }
    }

    @Test
    void pull_symlinks_createdAsLinksNeverFollowedForWrites() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            Path outside = Files.createDirectories(tmp.resolve("outside"));
            byte[] data = "must not land outside".getBytes(StandardCharsets.UTF_8);
            c.get(0).write("bait.txt", data);
            Files.createSymbolicLink(c.get(0).path("escape"), outside);
            c.get(0).scan();
            c.connectAll();
            c.awaitConverged();
            assertThat(Files.readSymbolicLink(c.get(1).path("escape"))).isEqualTo(outside);

            // Now a peer announces a file inside the link, with content both devices have.
            c.disconnect(0, 1);
            FileRecord link = c.get(0).index.local("escape").orElseThrow();
            long zero = c.get(0).id.shortId();
            c.get(0).index.commitLocal(List.of(new FileRecord("escape/pwned.txt", FileType.FILE, data.length, 0644, 1L,
                    TestScanner.blocks(data, TestScanner.BLOCK), null, "", false, link.version().bump(zero),
                    link.hlc(), zero, 0)));
            c.connect(0, 1);
            Await.until(TestCluster.TIMEOUT,
                    () -> c.get(1).index.remote(zero, "escape/pwned.txt").isPresent(), c::describe);
            c.awaitIdle();

            assertThat(Files.list(outside).toList()).isEmpty();
            assertThat(c.get(1).status().deferredNames()).isEqualTo(1);
            assertThat(c.get(1).index.local("escape/pwned.txt")).isEmpty();
            assertThat(Files.isSymbolicLink(c.get(1).path("escape"))).isTrue();
        }
    }
}
