package org.meshfold.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.meshfold.scanner.Chunker;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of FastCDC boundary finding ({@link Chunker}) over 64 MiB of random bytes held in
 * memory, so neither the disk nor SHA-256 is measured.
 *
 * <p>One invocation cuts all 64 MiB and is declared as 64 operations, so the reported
 * {@code ops/s} is MiB/s of input (multiply by 1.048576 for MB/s).
 * <ul>
 *   <li>{@code nextChunk}: {@link Chunker#nextChunk} straight over the array: the bare gear-hash loop.
 *   <li>{@code forEachChunk}: {@link Chunker#forEachChunk} over a channel on the array: adds the
 *       4 MiB window copies and tail carrying the file hasher uses.
 * </ul>
 *
 * <p>Run from the repository root (about 25 s):
 * <pre>{@code
 * export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
 * mvn -q -pl meshfold-bench -am package -DskipTests && $JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED \
 *     -cp "meshfold-bench/target/meshfold-bench-0.1.0-SNAPSHOT.jar:meshfold-bench/target/lib/*" \
 *     org.openjdk.jmh.Main ChunkerBench
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dslf4j.internal.verbosity=ERROR"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ChunkerBench {
    private static final int MIB = 1 << 20;
    private static final int DATA_MIB = 64;

    private byte[] data;

    @Setup
    public void generate() {
        data = new byte[DATA_MIB * MIB];
        new SplittableRandom(42).nextBytes(data);
        // Random input must cut into chunks averaging near Chunker.AVG_SIZE; anything else
        // means the benchmark is not measuring the normal path.
        int chunks = nextChunk();
        long average = (long) data.length / chunks;
        if (average < Chunker.MIN_SIZE || average > Chunker.MAX_SIZE) {
            throw new IllegalStateException("64 MiB of random data cut into " + chunks
                    + " chunks (average " + average + " bytes): chunker parameters changed?");
        }
    }

    /** @return the number of chunks, so the work cannot be eliminated */
    @Benchmark
    @OperationsPerInvocation(DATA_MIB)
    public int nextChunk() {
        int chunks = 0;
        int pos = 0;
        while (pos < data.length) {
            pos += Chunker.nextChunk(data, pos, data.length - pos);
            chunks++;
        }
        return chunks;
    }

    /** @return the sum of chunk offsets, which depends on every boundary */
    @Benchmark
    @OperationsPerInvocation(DATA_MIB)
    public long forEachChunk() throws IOException {
        long[] offsets = {0};
        Chunker.forEachChunk(new ArrayChannel(data),
                (offset, buffer, start, length) -> offsets[0] += offset);
        return offsets[0];
    }

    /**
     * Reads the array with one bulk copy per call, like a {@link java.nio.channels.FileChannel}
     * on cached pages ({@code Channels.newChannel} would copy through an 8 KiB buffer).
     */
    private static final class ArrayChannel implements ReadableByteChannel {
        private final byte[] data;
        private int position;

        ArrayChannel(byte[] data) {
            this.data = data;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (position == data.length) {
                return -1;
            }
            int n = Math.min(dst.remaining(), data.length - position);
            dst.put(data, position, n);
            position += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
