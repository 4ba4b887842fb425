package org.meshfold.scanner;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Reads a channel window by window and cuts each window into whole chunks with {@link Chunker}.
 * The bytes after a window's last cut (fewer than {@link Chunker#MAX_SIZE} unless the data ended)
 * are carried to the front of the next buffer, so a chunk never spans two buffers.
 *
 * <p>Each call may use a different buffer, which lets a caller hash the chunks of one window on
 * other threads while this stream fills the next. Not thread-safe: one reading thread.
 */
final class ChunkStream {
    static final int BUFFER_SIZE = 4 << 20;

    private final ReadableByteChannel in;
    private byte[] previous;
    private int tailStart;
    private int tailEnd;
    private long tailOffset;
    private boolean eof;

    ChunkStream(ReadableByteChannel in) {
        this.in = in;
    }

    /**
     * Fills {@code buffer} with the carried tail plus fresh data and cuts it. After the window
     * marked {@link Window#last() last}, the stream must not be called again.
     *
     * @param buffer must be larger than the carried tail; {@link #BUFFER_SIZE} always is
     */
    Window next(byte[] buffer) throws IOException {
        int tail = tailEnd - tailStart;
        if (previous != null) {
            if (buffer.length <= tail && !eof) {
                throw new IllegalArgumentException("buffer of " + buffer.length + " bytes cannot hold the "
                        + tail + "-byte tail and more data");
            }
            System.arraycopy(previous, tailStart, buffer, 0, tail);
        }
        int limit = fill(buffer, tail);
        int[] ends = new int[limit / Chunker.MIN_SIZE + 2];
        int count = 0;
        int pos = 0;
        while (pos < limit) {
            int available = limit - pos;
            if (!eof && available < Chunker.MAX_SIZE) {
                break;
            }
            pos += Chunker.nextChunk(buffer, pos, available);
            ends[count++] = pos;
        }
        Window w = new Window(buffer, tailOffset, ends, count, eof && pos == limit);
        previous = buffer;
        tailStart = pos;
        tailEnd = limit;
        tailOffset += pos;
        return w;
    }

    private int fill(byte[] buffer, int from) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buffer);
        int limit = from;
        while (!eof && limit < buffer.length) {
            bb.position(limit);
            int n = in.read(bb);
            if (n < 0) {
                eof = true;
            } else {
                limit += n;
            }
        }
        return limit;
    }

    /**
     * Whole chunks laid out from {@code buffer[0]}: chunk {@code i} spans {@code start(i)} to
     * {@code ends[i]}; {@code offset} is the position of {@code buffer[0]} in the data.
     */
    record Window(byte[] buffer, long offset, int[] ends, int count, boolean last) {
        int start(int i) {
            return i == 0 ? 0 : ends[i - 1];
        }

        int length(int i) {
            return ends[i] - start(i);
        }

        /** End of the last chunk in the buffer (0 if none). */
        int end() {
            return count == 0 ? 0 : ends[count - 1];
        }
    }
}
