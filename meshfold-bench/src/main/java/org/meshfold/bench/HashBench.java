package org.meshfold.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.meshfold.index.BlockHash;
import org.meshfold.scanner.FileHasher;
import org.meshfold.scanner.HashedContent;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Block hashing throughput. Both scores are in MiB/s of input (multiply by 1.048576 for MB/s).
 * <ul>
 *   <li>{@code sha256Blocks}: the JDK's SHA-256 over 64 KiB blocks (the average chunk size), one
 *       digest per block; one operation is 16 blocks, 1 MiB. The ceiling for one hashing thread.
 *   <li>{@code fileHasher}: {@link FileHasher#hash(Path)} of a 256 MiB random file already in the
 *       page cache, with a 2-thread executor: read, FastCDC, SHA-256 pipelined across threads;
 *       one invocation counts as 256 operations. With 2 cores, near twice {@code sha256Blocks}
 *       means the pipeline keeps both busy.
 * </ul>
 * The file is written to {@code java.io.tmpdir} (256 MiB free space needed) and deleted afterwards.
 *
 * <p>Run from the repository root (about 30 s):
 * <pre>{@code
 * export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
 * mvn -q -pl meshfold-bench -am package -DskipTests && $JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED \
 *     -cp "meshfold-bench/target/meshfold-bench-0.1.0-SNAPSHOT.jar:meshfold-bench/target/lib/*" \
 *     org.openjdk.jmh.Main HashBench
 * }</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dslf4j.internal.verbosity=ERROR"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class HashBench {
    private static final int BLOCK_SIZE = 64 * 1024;
    private static final int MIB = 1 << 20;
    private static final int FILE_MIB = 256;

    /** 1 MiB of random bytes and a digest, per benchmark thread. */
    @State(Scope.Thread)
    public static class Blocks {
        byte[] data;
        MessageDigest digest;

        @Setup
        public void setUp() {
            data = new byte[MIB];
            new SplittableRandom(7).nextBytes(data);
            digest = BlockHash.newDigest();
        }
    }

    /** A 256 MiB random file read once into the page cache, and a hasher on 2 threads. */
    @State(Scope.Benchmark)
    public static class CachedFile {
        Path file;
        ExecutorService executor;
        FileHasher hasher;

        @Setup
        public void setUp() throws IOException {
            file = Files.createTempFile("meshfold-hashbench-", ".bin");
            writeRandom(file, FILE_MIB);
            executor = Executors.newFixedThreadPool(2);
            hasher = new FileHasher(executor);
            HashedContent warm = hasher.hash(file);
            if (warm.size() != (long) FILE_MIB * MIB || warm.blocks().isEmpty()) {
                throw new IllegalStateException("hashing " + file + " saw " + warm.size() + " bytes in "
                        + warm.blocks().size() + " blocks, expected " + FILE_MIB + " MiB");
            }
        }

        @TearDown
        public void tearDown() throws IOException, InterruptedException {
            executor.shutdown();
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("hash executor did not stop within 10 s");
            }
            Files.deleteIfExists(file);
        }

        private static void writeRandom(Path file, int mib) throws IOException {
            SplittableRandom random = new SplittableRandom(11);
            byte[] piece = new byte[4 * MIB];
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                for (int written = 0; written < mib; written += 4) {
                    random.nextBytes(piece);
                    ByteBuffer bb = ByteBuffer.wrap(piece);
                    while (bb.hasRemaining()) {
                        ch.write(bb);
                    }
                }
            }
        }
    }

    @Benchmark
    public void sha256Blocks(Blocks blocks, Blackhole bh) {
        MessageDigest md = blocks.digest;
        for (int off = 0; off < MIB; off += BLOCK_SIZE) {
            md.update(blocks.data, off, BLOCK_SIZE);
            bh.consume(md.digest());
        }
    }

    @Benchmark
    @OperationsPerInvocation(FILE_MIB)
    public HashedContent fileHasher(CachedFile state) throws IOException {
        return state.hasher.hash(state.file);
    }
}
