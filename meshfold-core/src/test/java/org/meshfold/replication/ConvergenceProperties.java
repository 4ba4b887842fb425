package org.meshfold.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;
import org.meshfold.clock.VersionVector;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FileType;

/**
 * Random edits, deletions and renames on three devices with random partitions: after everything
 * reconnects, all devices hold the same records and identical trees, and every version a user
 * wrote that no later user change superseded still exists somewhere (as the file or a conflict copy).
 */
class ConvergenceProperties {
    private static final List<String> NAMES = List.of("a.txt", "b", "d/c.txt", "d/e");
    private static final int BLOCK = 1024;

    private Path base;

    sealed interface Op {
    }

    /** Writes unique content of about {@code size} bytes (several blocks of {@link #BLOCK}). */
    record Write(int device, int name, boolean tick, int size) implements Op {
    }

    record Delete(int device, int name) implements Op {
    }

    record Rename(int device, int from, int to) implements Op {
    }

    record Toggle(int link) implements Op {
    }

    /** A version a user made: the record the scanner committed, and the bytes for a live file. */
    record UserVersion(String name, VersionVector vector, String contentHash) {
    }

    @BeforeTry
    void createDirectory() throws IOException {
        base = Files.createTempDirectory("meshfold-convergence");
    }

    @AfterTry
    void deleteDirectory() throws IOException {
        try (Stream<Path> walk = Files.walk(base)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Property(tries = 200)
    void randomOperations_converge_andKeepEveryVersionNotSuperseded(@ForAll("operations") List<Op> ops) {
        List<UserVersion> written = new ArrayList<>();
        FolderSyncOptions.Tuning tuning = FolderSyncOptions.Tuning.DEFAULT.withRetryDelay(Duration.ofMillis(20));
        try (TestCluster c = new TestCluster(base, 3, tuning, BLOCK)) {
            c.connectAll();
            int serial = 0;
            for (Op op : ops) {
                if (!(op instanceof Toggle)) {
                    c.awaitIdle(); // partitions may cut transfers at any time; user edits wait for a quiet disk
                }
                switch (op) {
                    case Write w -> {
                        if (w.tick()) {
                            c.advanceClock(Duration.ofMillis(700));
                        }
                        String head = "version " + (++serial) + " of " + NAMES.get(w.name()) + " by "
                                + w.device() + "\n";
                        String content = head + "x".repeat(w.size());
                        c.get(w.device()).write(NAMES.get(w.name()), content.getBytes(StandardCharsets.UTF_8));
                        record(c.get(w.device()), NAMES.get(w.name()), written);
                    }
                    case Delete d -> {
                        c.get(d.device()).delete(NAMES.get(d.name()));
                        record(c.get(d.device()), NAMES.get(d.name()), written);
                    }
                    case Rename r -> rename(c.get(r.device()), NAMES.get(r.from()), NAMES.get(r.to()), written);
                    case Toggle t -> toggle(c, t.link());
                }
            }
            c.connectAll();
            c.awaitConverged();
            assertNothingLost(c, written);
        }
    }

    private static void toggle(TestCluster c, int link) {
        int i = link == 2 ? 1 : 0;
        int j = link == 0 ? 1 : 2;
        if (c.isConnected(i, j)) {
            c.disconnect(i, j);
        } else {
            c.connect(i, j);
        }
    }

    private static void rename(TestDevice d, String from, String to, List<UserVersion> written) {
        Path src = d.path(from);
        if (from.equals(to) || !Files.isRegularFile(src)) {
            return;
        }
        try {
            Files.createDirectories(d.path(to).getParent());
            Files.move(src, d.path(to), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        d.scan();
        record(d, from, written);
        record(d, to, written);
    }

    /** Remembers the local record the scan committed for {@code name}, if it made one. */
    private static void record(TestDevice d, String name, List<UserVersion> written) {
        d.index.local(name).filter(r -> r.modifiedBy() == d.id.shortId()).ifPresent(r -> {
            UserVersion v = new UserVersion(name, r.version(), r.deleted() ? null : r.blocksHash().toString());
            if (!written.contains(v)) {
                written.add(v);
            }
        });
    }

    private static void assertNothingLost(TestCluster c, List<UserVersion> written) {
        List<String> contents = new ArrayList<>();
        c.get(0).index.forEachLocal(r -> {
            if (!r.deleted()) {
                contents.add(r.blocksHash().toString());
            }
        });
        for (UserVersion v : written) {
            boolean superseded = written.stream()
                    .anyMatch(o -> o.name().equals(v.name()) && o.vector().dominates(v.vector()));
            if (v.contentHash() != null && !superseded) {
                assertThat(contents).as("content of %s %s, not superseded by any later user change; records %s",
                        v.name(), v.vector(), TestCluster.records(c.get(0))).contains(v.contentHash());
            }
        }
        // The records describe the disk: every live record's content is what the file holds.
        for (FileRecord r : recordsOf(c.get(0))) {
            if (!r.deleted() && r.type() == FileType.FILE) {
                byte[] data = c.get(0).read(r.name());
                assertThat(FileRecord.hashOf(TestScanner.blocks(data, BLOCK))).isEqualTo(r.blocksHash());
            }
        }
    }

    private static List<FileRecord> recordsOf(TestDevice d) {
        List<FileRecord> out = new ArrayList<>();
        d.index.forEachLocal(out::add);
        return out;
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Integer> device = Arbitraries.integers().between(0, 2);
        Arbitrary<Integer> name = Arbitraries.integers().between(0, NAMES.size() - 1);
        Arbitrary<Integer> size = Arbitraries.oneOf(Arbitraries.integers().between(0, 100),
                Arbitraries.integers().between(1000, 6000));
        Arbitrary<Op> write = Combinators.combine(device, name, Arbitraries.of(true, false), size).as(Write::new);
        Arbitrary<Op> delete = Combinators.combine(device, name).as(Delete::new);
        Arbitrary<Op> rename = Combinators.combine(device, name, name).as(Rename::new);
        Arbitrary<Op> toggle = Arbitraries.integers().between(0, 2).map(Toggle::new);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                Tuple.of(5, write), Tuple.of(2, delete),
                Tuple.of(1, rename), Tuple.of(3, toggle));
        return op.list().ofMinSize(1).ofMaxSize(14);
    }
}
