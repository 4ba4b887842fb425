package org.meshfold.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent edits of one file on two devices that cannot see each other: after they reconnect,
 * all three devices hold the same winner and the same conflict copy of the loser, on real
 * devices with real restarts.
 */
class ConflictTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path base;

    @Test
    void concurrentEditsOnDisconnectedDevices_convergeWithLoserKeptAsConflictCopy() throws IOException {
        try (Cluster cluster = Cluster.of(base, "a", "b", "c")) {
            TestDevice a = cluster.get(0);
            TestDevice b = cluster.get(1);
            TestDevice c = cluster.get(2);
            Files.createDirectories(a.file("notes"));
            Files.writeString(a.file("notes/doc.txt"), "original\n");
            cluster.startAll();
            cluster.awaitIdentical(TIMEOUT);

            b.stop();
            Files.writeString(a.file("notes/doc.txt"), "edited on a while b was away\n");
            Await.until("c to receive a's edit", TIMEOUT, () -> contentIs(c.file("notes/doc.txt"), "edited on a while b was away\n"));
            Files.writeString(b.file("notes/doc.txt"), "edited on b while offline\n");
            b.start();
            cluster.awaitConnected(TIMEOUT);
            cluster.awaitIdentical(TIMEOUT);

            // b scanned its edit after a made its own, so b's version has the later clock and wins.
            for (TestDevice d : cluster.devices) {
                assertThat(d.file("notes/doc.txt")).as("winner on %s", d).hasContent("edited on b while offline");
                List<Path> copies = conflictCopies(d.file("notes"));
                assertThat(copies).as("conflict copies on %s", d).hasSize(1);
                assertThat(copies.get(0)).hasContent("edited on a while b was away");
                assertThat(copies.get(0).getFileName().toString())
                        .matches("doc\\.sync-conflict-\\d{8}-\\d{6}-" + a.id.shortText() + "\\.txt");
            }
        }
    }

    @Test
    void editOnOneDeviceAndDeleteOnAnother_keepsTheEdit() throws IOException {
        try (Cluster cluster = Cluster.of(base, "a", "b")) {
            TestDevice a = cluster.get(0);
            TestDevice b = cluster.get(1);
            Files.createDirectories(a.file("x"));
            Files.writeString(a.file("x/keep.txt"), "v1\n");
            cluster.startAll();
            cluster.awaitIdentical(TIMEOUT);

            b.stop();
            Files.delete(a.file("x/keep.txt"));
            Files.writeString(b.file("x/keep.txt"), "v2 edited while the other side deleted it\n");
            b.start();
            cluster.awaitConnected(TIMEOUT);
            cluster.awaitIdentical(TIMEOUT);

            assertThat(a.file("x/keep.txt")).hasContent("v2 edited while the other side deleted it");
            assertThat(conflictCopies(a.file("x"))).isEmpty();
        }
    }

    private static boolean contentIs(Path p, String content) {
        try {
            return Files.exists(p) && Files.readString(p).equals(content);
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Path> conflictCopies(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().contains(".sync-conflict-")).toList();
        }
    }
}
