package org.meshfold.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.meshfold.index.BlockHash;

class ChunkerTest {
    private static final int MIB = 1 << 20;

    @Test
    void nextChunk_dataUpToMinimum_isOneChunk() {
        byte[] data = random(Chunker.MIN_SIZE, 1);
        assertThat(Chunker.nextChunk(data, 0, data.length)).isEqualTo(Chunker.MIN_SIZE);
        assertThat(Chunker.nextChunk(data, 0, 10)).isEqualTo(10);
        assertThat(Chunker.nextChunk(data, 0, 0)).isZero();
    }

    @Test
    void nextChunk_constantData_cutsAtMaximum() {
        byte[] zeros = new byte[3 * Chunker.MAX_SIZE];
        assertThat(chunks(zeros)).extracting(Chunk::length)
                .containsExactly(Chunker.MAX_SIZE, Chunker.MAX_SIZE, Chunker.MAX_SIZE);
    }

    @Test
    void forEachChunk_sameData_sameBoundaries() throws IOException {
        byte[] data = random(20 * MIB + 12345, 2);
        List<Chunk> first = chunks(data);
        assertThat(chunks(data)).isEqualTo(first);
        // Short reads shift where each 4 MiB buffer starts; boundaries must not depend on it.
        assertThat(chunks(trickling(data, 100_003))).isEqualTo(first);
    }

    @Test
    void forEachChunk_randomData_respectsBoundsAndCoversAllBytes() {
        byte[] data = random(32 * MIB + 7, 3);
        List<Chunk> chunks = chunks(data);
        long expectedOffset = 0;
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            assertThat(c.offset()).isEqualTo(expectedOffset);
            assertThat(c.length()).isLessThanOrEqualTo(Chunker.MAX_SIZE);
            if (i < chunks.size() - 1) {
                assertThat(c.length()).isGreaterThan(Chunker.MIN_SIZE);
            }
            expectedOffset += c.length();
        }
        assertThat(expectedOffset).isEqualTo(data.length);
    }

    @Test
    void forEachChunk_randomData_averageNearTarget() {
        byte[] data = random(64 * MIB, 4);
        List<Chunk> chunks = chunks(data);
        double average = (double) data.length / chunks.size();
        System.out.printf("chunker: %d chunks, average %.1f KiB%n", chunks.size(), average / 1024);
        assertThat(average).isBetween(Chunker.AVG_SIZE * 0.75, Chunker.AVG_SIZE * 1.25);
    }

    @Test
    void forEachChunk_oneByteInserted_changesAtMostThreeChunks() {
        byte[] data = random(64 * MIB, 5);
        byte[] edited = insert(data, 32 * MIB + 777, new byte[] {42});
        assertThat(newChunks(data, edited).size()).isLessThanOrEqualTo(3);
    }

    @Test
    void forEachChunk_oneMibInserted_newBytesBounded() {
        byte[] data = random(64 * MIB, 6);
        byte[] edited = insert(data, 31 * MIB + 12_345, random(MIB, 7));
        long newBytes = newChunks(data, edited).stream().mapToLong(Chunk::length).sum();
        System.out.printf("chunker: 1 MiB inserted -> %.2f MiB in new chunks%n", newBytes / (double) MIB);
        assertThat(newBytes).isLessThanOrEqualTo(MIB + 2L * Chunker.MAX_SIZE);
    }

    @Test
    void nextChunk_throughput_printed() {
        byte[] data = random(64 * MIB, 8);
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 8; round++) {
            long t0 = System.nanoTime();
            int pos = 0;
            int n = 0;
            while (pos < data.length) {
                pos += Chunker.nextChunk(data, pos, data.length - pos);
                n++;
            }
            best = Math.min(best, System.nanoTime() - t0);
            assertThat(n).isPositive();
        }
        System.out.printf("chunker: %.2f GB/s single thread%n", data.length / (double) best);
    }

    record Chunk(long offset, int length, BlockHash hash) {
    }

    static List<Chunk> chunks(byte[] data) {
        return chunks(Channels.newChannel(new ByteArrayInputStream(data)));
    }

    static List<Chunk> chunks(ReadableByteChannel in) {
        List<Chunk> out = new ArrayList<>();
        try {
            Chunker.forEachChunk(in, (offset, buf, start, len) ->
                    out.add(new Chunk(offset, len, BlockHash.sha256(buf, start, len))));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    /** Chunks of {@code edited} whose content does not occur in {@code original}. */
    private static List<Chunk> newChunks(byte[] original, byte[] edited) {
        Set<BlockHash> known = new HashSet<>();
        chunks(original).forEach(c -> known.add(c.hash()));
        return chunks(edited).stream().filter(c -> !known.contains(c.hash())).toList();
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    private static byte[] insert(byte[] data, int at, byte[] insertion) {
        byte[] out = new byte[data.length + insertion.length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(insertion, 0, out, at, insertion.length);
        System.arraycopy(data, at, out, at + insertion.length, data.length - at);
        return out;
    }

    /** A channel that returns at most {@code step} bytes per read. */
    private static ReadableByteChannel trickling(byte[] data, int step) {
        return new ReadableByteChannel() {
            private int pos;

            @Override
            public int read(ByteBuffer dst) {
                if (pos == data.length) {
                    return -1;
                }
                int n = Math.min(Math.min(step, dst.remaining()), data.length - pos);
                dst.put(data, pos, n);
                pos += n;
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }
}
