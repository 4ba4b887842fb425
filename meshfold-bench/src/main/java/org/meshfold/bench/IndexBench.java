package org.meshfold.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.meshfold.clock.Hlc;
import org.meshfold.clock.VersionVector;
import org.meshfold.index.Block;
import org.meshfold.index.BlockHash;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FileType;
import org.meshfold.index.FolderIndex;
import org.meshfold.index.FolderIndex.BlockLocation;
import org.meshfold.index.IndexStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SQLite index ({@link IndexStore}) on a database in a fresh temporary directory under
 * {@code java.io.tmpdir}, so commit numbers include that disk's fsync (the store commits with
 * {@code synchronous=FULL}).
 * <ul>
 *   <li>{@code commitLocal}: one {@link FolderIndex#commitLocal} of 10,000 small files (one
 *       900-byte block each) that replace the same names with new content, as after a rescan of a
 *       changed tree. One invocation counts as 10,000 operations: the score is records/s.
 *   <li>{@code findBlockHit} / {@code findBlockMiss}: one {@link FolderIndex#findBlock} per
 *       operation, for a hash present in an index of 10,000 files / 20,000 blocks, and for an
 *       absent one: lookups/s.
 *   <li>{@code localSince}: pages through those 10,000 records with
 *       {@link FolderIndex#localSince} 1,000 at a time (what sending a full index to a new peer
 *       does). One pass counts as 10,000 operations: the score is records/s.
 * </ul>
 *
 * <p>Run from the repository root (about 50 s):
 * <pre>{@code
 * export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
 * mvn -q -pl meshfold-bench -am package -DskipTests && $JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED \
 *     -cp "meshfold-bench/target/meshfold-bench-0.1.0-SNAPSHOT.jar:meshfold-bench/target/lib/*" \
 *     org.openjdk.jmh.Main IndexBench
 * }</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dslf4j.internal.verbosity=ERROR"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class IndexBench {
    private static final int FILES = 10_000;
    private static final int PAGE = 1_000;
    private static final long DEVICE = 0x5eed_0001L;

    /** A folder whose 10,000 files are replaced by one of two alternating contents per commit. */
    @State(Scope.Benchmark)
    public static class Committing {
        Path dir;
        IndexStore store;
        FolderIndex index;
        List<List<FileRecord>> generations;
        int next;

        @Setup
        public void setUp() throws IOException {
            dir = Files.createTempDirectory("meshfold-indexbench-");
            store = IndexStore.open(dir.resolve("index.db"));
            index = store.folder("bench");
            SplittableRandom random = new SplittableRandom(3);
            generations = List.of(files(random, 1, 1), files(random, 1, 2));
            index.commitLocal(generations.get(0));
            next = 1;
        }

        @TearDown
        public void tearDown() throws IOException {
            store.close();
            deleteTree(dir);
        }
    }

    /** A folder of 10,000 committed files with two blocks each, only read. */
    @State(Scope.Benchmark)
    public static class Populated {
        Path dir;
        IndexStore store;
        FolderIndex index;
        BlockHash[] present;
        BlockHash absent;
        int lookup;

        @Setup
        public void setUp() throws IOException {
            dir = Files.createTempDirectory("meshfold-indexbench-");
            store = IndexStore.open(dir.resolve("index.db"));
            index = store.folder("bench");
            SplittableRandom random = new SplittableRandom(5);
            List<FileRecord> stored = index.commitLocal(files(random, 2, 1));
            List<BlockHash> hashes = new ArrayList<>();
            for (FileRecord r : stored) {
                r.blocks().forEach(b -> hashes.add(b.hash()));
            }
            // Visit the hashes in a scattered order so lookups do not walk the B-tree in sequence.
            present = hashes.toArray(BlockHash[]::new);
            for (int i = present.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                BlockHash t = present[i];
                present[i] = present[j];
                present[j] = t;
            }
            absent = randomHash(random);
            if (index.findBlock(present[0]).isEmpty() || !index.findBlock(absent).isEmpty()) {
                throw new IllegalStateException("block index in " + dir + " does not answer as committed");
            }
        }

        @TearDown
        public void tearDown() throws IOException {
            store.close();
            deleteTree(dir);
        }
    }

    @Benchmark
    @OperationsPerInvocation(FILES)
    public List<FileRecord> commitLocal(Committing state) {
        List<FileRecord> stored = state.index.commitLocal(state.generations.get(state.next));
        state.next ^= 1;
        return stored;
    }

    @Benchmark
    public List<BlockLocation> findBlockHit(Populated state) {
        BlockHash[] present = state.present;
        int i = state.lookup;
        state.lookup = i + 1 == present.length ? 0 : i + 1;
        return state.index.findBlock(present[i]);
    }

    @Benchmark
    public List<BlockLocation> findBlockMiss(Populated state) {
        return state.index.findBlock(state.absent);
    }

    /** @return the number of records read, which must be 10,000 */
    @Benchmark
    @OperationsPerInvocation(FILES)
    public int localSince(Populated state) {
        int read = 0;
        long after = 0;
        List<FileRecord> page;
        do {
            page = state.index.localSince(after, PAGE);
            read += page.size();
            if (!page.isEmpty()) {
                after = page.getLast().sequence();
            }
        } while (page.size() == PAGE);
        if (read != FILES) {
            throw new IllegalStateException("paged " + read + " local records, expected " + FILES);
        }
        return read;
    }

    /** 10,000 files spread over 100 directories, each of {@code blocks} random 900-byte blocks. */
    static List<FileRecord> files(SplittableRandom random, int blocks, long versionCounter) {
        VersionVector version = VersionVector.of(Map.of(DEVICE, versionCounter));
        Hlc hlc = new Hlc(1_700_000_000_000L + versionCounter, 0);
        List<FileRecord> records = new ArrayList<>(FILES);
        for (int i = 0; i < FILES; i++) {
            List<Block> list = new ArrayList<>(blocks);
            for (int b = 0; b < blocks; b++) {
                list.add(new Block(b * 900L, 900, randomHash(random)));
            }
            records.add(new FileRecord("dir" + i % 100 + "/file" + i + ".txt", FileType.FILE, blocks * 900L, 0644,
                    1_700_000_000_000_000_000L + i, list, null, "", false, version, hlc, DEVICE, 0));
        }
        return records;
    }

    static BlockHash randomHash(SplittableRandom random) {
        byte[] bytes = new byte[BlockHash.LENGTH];
        random.nextBytes(bytes);
        return BlockHash.wrap(bytes);
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
