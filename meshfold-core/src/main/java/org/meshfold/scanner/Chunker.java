package org.meshfold.scanner;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;

/**
 * Content-defined chunking with FastCDC (Xia et al., "FastCDC: a Fast and Efficient
 * Content-Defined Chunking Approach for Data Deduplication", USENIX ATC 2016).
 *
 * <p>Design note. A chunk boundary is placed where a gear hash of the last ~64 bytes has zeros
 * under a mask: {@code h = (h << 1) + GEAR[byte]}, cut when {@code (h & mask) == 0}. Because the
 * decision depends only on nearby bytes, inserting or removing bytes moves only the boundaries
 * around the edit, and identical content elsewhere keeps its blocks. FastCDC's three ideas are
 * used: the first {@link #MIN_SIZE} bytes of a chunk are skipped without hashing (sub-minimum
 * cut points are never taken anyway); normalized chunking with two masks, a harder one
 * ({@link #AVG_SIZE} bits + 2) before the average size and an easier one (bits - 2) after it, so
 * chunk sizes cluster around the average; and mask bits spread over the upper part of the hash,
 * so each bit of the test depends on a long window of input. Every chunk is at most
 * {@link #MAX_SIZE}; only the last chunk of the data may be shorter than the minimum, and data
 * of at most the minimum size is a single chunk.
 *
 * <p>The gear table ({@link GearTable}) and the masks are part of the on-disk and on-wire
 * format: two devices must cut identical content identically.
 */
public final class Chunker {
    public static final int MIN_SIZE = 16 * 1024;
    public static final int AVG_SIZE = 64 * 1024;
    public static final int MAX_SIZE = 256 * 1024;

    /** Used before the average size: 18 bits, one cut chance in 2^18 per byte. */
    static final long MASK_S = spreadMask(Integer.numberOfTrailingZeros(AVG_SIZE) + 2);
    /** Used from the average size on: 14 bits, one cut chance in 2^14 per byte. */
    static final long MASK_L = spreadMask(Integer.numberOfTrailingZeros(AVG_SIZE) - 2);

    private static final long[] GEAR = GearTable.GEAR;

    private Chunker() {
    }

    /**
     * Length of the chunk that starts at {@code data[from]}.
     *
     * @param available bytes readable from {@code from}; unless this reaches the end of the data,
     *                  it must be at least {@link #MAX_SIZE}, otherwise a later boundary could be missed
     * @return a length in {@code 1..min(available, MAX_SIZE)} ({@code 0} only if {@code available} is 0)
     */
    public static int nextChunk(byte[] data, int from, int available) {
        if (available <= MIN_SIZE) {
            return available;
        }
        int n = Math.min(available, MAX_SIZE);
        int normalEnd = from + Math.min(n, AVG_SIZE);
        int end = from + n;
        long h = 0;
        int i = from + MIN_SIZE;
        // Two plain loops, one per mask: keeps the hot loop free of size checks.
        for (; i < normalEnd; i++) {
            h = (h << 1) + GEAR[data[i] & 0xff];
            if ((h & MASK_S) == 0) {
                return i - from + 1;
            }
        }
        for (; i < end; i++) {
            h = (h << 1) + GEAR[data[i] & 0xff];
            if ((h & MASK_L) == 0) {
                return i - from + 1;
            }
        }
        return n;
    }

    /**
     * Reads {@code in} to its end in {@link ChunkStream#BUFFER_SIZE} buffers and reports every
     * chunk in order. The buffer passed to {@code consumer} is reused after it returns.
     *
     * @return the number of bytes read
     */
    public static long forEachChunk(ReadableByteChannel in, ChunkConsumer consumer) throws IOException {
        ChunkStream stream = new ChunkStream(in);
        byte[] buffer = new byte[ChunkStream.BUFFER_SIZE];
        ChunkStream.Window w;
        do {
            w = stream.next(buffer);
            for (int i = 0; i < w.count(); i++) {
                consumer.accept(w.offset() + w.start(i), w.buffer(), w.start(i), w.length(i));
            }
        } while (!w.last());
        return w.offset() + w.end();
    }

    /** Receives one chunk: its offset in the data and where its bytes are. */
    @FunctionalInterface
    public interface ChunkConsumer {
        void accept(long offset, byte[] buffer, int start, int length) throws IOException;
    }

    /** A mask of {@code bits} ones spread evenly over bits 63..16 (the paper's "padded" masks). */
    static long spreadMask(int bits) {
        long mask = 0;
        for (int i = 0; i < bits; i++) {
            mask |= 1L << (63 - (i * 48) / bits);
        }
        return mask;
    }
}
