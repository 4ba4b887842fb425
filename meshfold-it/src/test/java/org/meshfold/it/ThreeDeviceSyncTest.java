package org.meshfold.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real devices (separate homes, SQLite indexes, TLS over loopback) keep one folder
 * identical: initial sync of a large mixed tree, then edits on every device, a rename and an
 * insertion into a 1 GiB file that transfer almost nothing. The tests build on each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeDeviceSyncTest {
    private static final long GIB = 1L << 30;
    private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(8);

    Cluster cluster;
    TestDevice a;
    TestDevice b;
    TestDevice c;

    @BeforeAll
    void createDevices(@TempDir Path base) {
        cluster = Cluster.of(base, "a", "b", "c");
        a = cluster.get(0);
        b = cluster.get(1);
        c = cluster.get(2);
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    @Test
    @Order(1)
    void initialSync_mixedTreeBecomesIdenticalOnAllThree() throws IOException {
        Path root = a.folder;
        TestData.writeLarge(root.resolve("big/one-gig.bin"), 1, GIB);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            Path f = root.resolve(String.format("small/d%03d/f%05d.dat", i % 200, i));
            TestData.writeFile(f, 100 + i, 1024 + random.nextInt(3 * 1024 + 1));
        }
        Files.createDirectories(root.resolve("nested/deeper/deepest"));
        Files.createDirectories(root.resolve("empty/dir/chain"));
        Files.write(root.resolve("nested/empty.txt"), new byte[0]);
        Files.write(root.resolve("nested/deeper/deepest/leaf.txt"), "leaf\n".getBytes());
        Files.write(root.resolve("ünïcödé – 日本語 ✓.txt"), "unicode name\n".getBytes());
        Files.createDirectories(root.resolve("Ωmega/δir"));
        Files.write(root.resolve("Ωmega/δir/ファイル.md"), "x".getBytes());
        Path script = root.resolve("nested/run.sh");
        Files.write(script, "#!/bin/sh\necho hi\n".getBytes());
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(root.resolve("nested/link-to-leaf"), Path.of("deeper/deepest/leaf.txt"));
        Files.createSymbolicLink(root.resolve("dangling-link"), Path.of("does/not/exist"));

        cluster.startAll();
        cluster.awaitConnected(Duration.ofSeconds(30));
        cluster.awaitIdentical(SYNC_TIMEOUT);

        assertThat(Files.isSymbolicLink(c.file("nested/link-to-leaf"))).isTrue();
        assertThat(Files.readSymbolicLink(c.file("dangling-link"))).isEqualTo(Path.of("does/not/exist"));
        assertThat(Files.isExecutable(b.file("nested/run.sh"))).isTrue();
        assertThat(Files.isDirectory(c.file("empty/dir/chain"))).isTrue();
        assertThat(Files.size(b.file("big/one-gig.bin"))).isEqualTo(GIB);
    }

    @Test
    @Order(2)
    void editsOnAnyDevice_propagateToTheOthers() throws IOException {
        Files.write(b.file("from-b.txt"), "created on b\n".getBytes());
        Files.write(c.file("nested/deeper/deepest/leaf.txt"), "modified on c\n".getBytes());
        Files.delete(a.file("nested/empty.txt"));
        Files.move(b.file("small/d000/f00000.dat"), b.file("small/d001/renamed.dat"));
        Files.createDirectories(c.file("new/dir"));
        cluster.awaitIdentical(SYNC_TIMEOUT);

        assertThat(a.file("from-b.txt")).hasContent("created on b");
        assertThat(b.file("nested/deeper/deepest/leaf.txt")).hasContent("modified on c");
        assertThat(c.file("nested/empty.txt")).doesNotExist();
        assertThat(a.file("small/d000/f00000.dat")).doesNotExist();
        assertThat(a.file("small/d001/renamed.dat")).exists();
        assertThat(a.file("new/dir")).isDirectory();
    }

    @Test
    @Order(3)
    void renamingTheGigabyteFile_transfersLessThanOneMebibyte() throws IOException {
        long beforeB = cluster.downloaded(b);
        long beforeC = cluster.downloaded(c);
        Files.move(a.file("big/one-gig.bin"), a.file("big/renamed-gig.bin"));
        cluster.awaitIdentical(SYNC_TIMEOUT);

        assertThat(b.file("big/one-gig.bin")).doesNotExist();
        assertThat(cluster.downloaded(b) - beforeB).isLessThan(1 << 20);
        assertThat(cluster.downloaded(c) - beforeC).isLessThan(1 << 20);
    }

    @Test
    @Order(4)
    void insertingOneMebibyteMidFile_transfersLessThanThreeMebibytes() throws IOException {
        long beforeB = cluster.downloaded(b);
        long beforeC = cluster.downloaded(c);
        Path original = a.file("big/renamed-gig.bin");
        Path edited = a.folder.resolveSibling("edited.bin");
        TestData.copyWithInsert(original, edited, GIB / 2 + 12_345, TestData.bytes(99, 1 << 20));
        Files.move(edited, original, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        cluster.awaitIdentical(SYNC_TIMEOUT);

        assertThat(Files.size(c.file("big/renamed-gig.bin"))).isEqualTo(GIB + (1 << 20));
        assertThat(cluster.downloaded(b) - beforeB).isLessThan(3 << 20);
        assertThat(cluster.downloaded(c) - beforeC).isLessThan(3 << 20);
    }
}
