package org.meshfold.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConflictTest {
    @TempDir
    Path tmp;

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void partition(TestCluster c) {
        c.awaitIdle();
        c.disconnect(0, 1);
        c.disconnect(0, 2);
        c.disconnect(1, 2);
    }

    @Test
    void conflict_editsOnPartitionedDevices_allKeepWinnerAndLoserCopy() {
        try (TestCluster c = new TestCluster(tmp, 3)) {
            c.connectAll();
            c.get(0).write("notes/plan.txt", text("original"));
            c.awaitConverged();
            partition(c);

            c.advanceClock(Duration.ofSeconds(1));
            c.get(0).write("notes/plan.txt", text("edit on device 1"));
            c.advanceClock(Duration.ofSeconds(1));
            c.get(1).write("notes/plan.txt", text("edit on device 2, later"));
            c.connectAll();
            c.awaitConverged();

            String copy = "notes/plan.sync-conflict-20261121-101501-" + c.get(0).id.shortText() + ".txt";
            for (TestDevice d : c.devices) {
                assertThat(d.read("notes/plan.txt")).isEqualTo(text("edit on device 2, later"));
                assertThat(d.read(copy)).isEqualTo(text("edit on device 1"));
            }
            assertThat(c.devices.stream().mapToLong(d -> d.status().conflictsCreated()).sum()).isEqualTo(1);
            assertThat(c.get(0).status().conflictsCreated()).isEqualTo(1);
        }
    }

    @Test
    void conflict_twoLosersHoldSameVersion_makeOneCopyBetweenThem() {
        try (TestCluster c = new TestCluster(tmp, 3)) {
            c.connectAll();
            c.get(0).write("a.txt", text("original"));
            c.awaitConverged();
            c.disconnect(1, 2);
            c.disconnect(0, 2);
            c.advanceClock(Duration.ofSeconds(1));
            c.get(0).write("a.txt", text("loser")); // device 1 gets it too
            c.awaitConverged(0, 1);
            c.disconnect(0, 1);
            c.advanceClock(Duration.ofSeconds(1));
            c.get(2).write("a.txt", text("winner"));

            c.connectAll();
            c.awaitConverged();

            String copy = "a.sync-conflict-20261121-101501-" + c.get(0).id.shortText() + ".txt";
            for (TestDevice d : c.devices) {
                assertThat(d.read("a.txt")).isEqualTo(text("winner"));
                assertThat(d.read(copy)).isEqualTo(text("loser"));
                assertThat(TestCluster.tree(d)).hasSize(2);
            }
        }
    }

    @Test
    void conflict_editVersusDelete_keepsTheEditWithoutCopy() {
        try (TestCluster c = new TestCluster(tmp, 3)) {
            c.connectAll();
            c.get(0).write("doc.txt", text("v1"));
            c.awaitConverged();
            partition(c);

            c.advanceClock(Duration.ofSeconds(1));
            c.get(1).write("doc.txt", text("v2 edited"));
            c.advanceClock(Duration.ofSeconds(1));
            c.get(0).delete("doc.txt"); // later, but a deletion never beats an edit
            c.connectAll();
            c.awaitConverged();

            for (TestDevice d : c.devices) {
                assertThat(d.read("doc.txt")).isEqualTo(text("v2 edited"));
                assertThat(TestCluster.tree(d)).containsOnlyKeys("doc.txt");
            }
        }
    }

    @Test
    void conflict_sameContentOnBoth_mergesWithoutCopy() {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            c.get(0).write("same.txt", text("identical"));
            c.advanceClock(Duration.ofSeconds(1));
            c.get(1).write("same.txt", text("identical"));
            c.connectAll();
            c.awaitConverged();

            assertThat(TestCluster.tree(c.get(0))).containsOnlyKeys("same.txt");
            assertThat(c.get(0).status().conflictsCreated() + c.get(1).status().conflictsCreated()).isZero();
            assertThat(c.get(0).status().bytesDownloaded() + c.get(1).status().bytesDownloaded()).isZero();
        }
    }

    @Test
    void conflict_directoryVersusFile_directoryWinsFileKeptAsCopy() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            c.get(0).write("thing", text("i am a file"));
            c.advanceClock(Duration.ofSeconds(1));
            Files.createDirectories(c.get(1).path("thing"));
            c.get(1).write("thing/inside.txt", text("in the directory"));
            c.advanceClock(Duration.ofSeconds(1));
            c.connectAll();
            c.awaitConverged();

            String copy = "thing.sync-conflict-20261121-101500-" + c.get(0).id.shortText();
            for (TestDevice d : c.devices) {
                assertThat(Files.isDirectory(d.path("thing"))).isTrue();
                assertThat(d.read("thing/inside.txt")).isEqualTo(text("in the directory"));
                assertThat(d.read(copy)).isEqualTo(text("i am a file"));
            }
        }
    }

    @Test
    void pull_fileChangedLocallyBeforeOverwrite_rescansAndKeepsUserEdit() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            c.connectAll();
            c.get(0).write("f.txt", text("v1"));
            c.awaitConverged();
            c.disconnect(0, 1);

            c.advanceClock(Duration.ofSeconds(1));
            c.get(0).write("f.txt", text("v2 from device 1"));
            Files.write(c.get(1).path("f.txt"), text("unscanned user edit on device 2"));
            c.connectAll();

            Await.until(TestCluster.TIMEOUT, () -> c.get(1).rescans.contains("f.txt"), c::describe);
            assertThat(c.get(1).read("f.txt")).isEqualTo(text("unscanned user edit on device 2"));

            c.advanceClock(Duration.ofSeconds(1));
            c.get(1).scan(); // the scanner commits the edit: now a conflict the later edit wins
            c.awaitConverged();

            String copy = "f.sync-conflict-20261121-101501-" + c.get(0).id.shortText() + ".txt";
            for (TestDevice d : c.devices) {
                assertThat(d.read("f.txt")).isEqualTo(text("unscanned user edit on device 2"));
                assertThat(d.read(copy)).isEqualTo(text("v2 from device 1"));
            }
        }
    }

    @Test
    void delete_directoryTree_removedEverywhereDeepestFirst() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            c.connectAll();
            c.get(0).write("top/mid/leaf.txt", text("leaf"));
            c.get(0).write("top/other.txt", text("other"));
            c.awaitConverged();

            for (String n : List.of("top/mid/leaf.txt", "top/other.txt", "top/mid", "top")) {
                Files.delete(c.get(0).path(n));
            }
            c.get(0).scan();
            c.awaitConverged();
            assertThat(Files.exists(c.get(1).path("top"))).isFalse();
        }
    }

    @Test
    void delete_directoryWhileFileInsideEditedElsewhere_keepsDirectoryAndEdit() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            c.connectAll();
            c.get(0).write("dir/keep.txt", text("v1"));
            c.awaitConverged();
            c.disconnect(0, 1);

            Files.delete(c.get(0).path("dir/keep.txt"));
            Files.delete(c.get(0).path("dir"));
            c.get(0).scan();
            c.advanceClock(Duration.ofSeconds(1));
            c.get(1).write("dir/keep.txt", text("v2 edited"));
            c.connectAll();
            c.awaitConverged();

            for (TestDevice d : c.devices) {
                assertThat(d.read("dir/keep.txt")).isEqualTo(text("v2 edited"));
                assertThat(d.index.local("dir").orElseThrow().deleted()).isFalse();
            }
        }
    }

    @Test
    void pull_directoryReplacedByFileWhileFileAddedInsideElsewhere_keepsDirectoryAndFileAsCopy() throws Exception {
        try (TestCluster c = new TestCluster(tmp, 2)) {
            c.connectAll();
            c.get(0).write("dir/old.txt", text("v1"));
            c.awaitConverged();
            c.disconnect(0, 1);

            c.get(0).delete("dir/old.txt");
            c.get(0).delete("dir");
            c.get(0).write("dir", text("a file where the directory was"));
            c.advanceClock(Duration.ofSeconds(1));
            c.get(1).write("dir/new.txt", text("added inside the directory"));
            c.connectAll();
            c.awaitConverged();

            String copy = "dir.sync-conflict-20261121-101500-" + c.get(0).id.shortText();
            for (TestDevice d : c.devices) {
                assertThat(Files.isDirectory(d.path("dir"))).isTrue();
                assertThat(d.read("dir/new.txt")).isEqualTo(text("added inside the directory"));
                assertThat(d.read(copy)).isEqualTo(text("a file where the directory was"));
                assertThat(TestCluster.tree(d)).containsOnlyKeys("dir", "dir/new.txt", copy);
            }
        }
    }
}
