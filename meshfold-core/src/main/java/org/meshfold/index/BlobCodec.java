package org.meshfold.index;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.meshfold.clock.VersionVector;

/**
 * Compact binary forms of version vectors and block lists, as stored in the index.
 *
 * <p>Version vector: unsigned LEB128 entry count, then per entry (ascending device id) the
 * device short id as 8 bytes big-endian (ids are random, so a varint would not help) and the
 * counter as unsigned LEB128.
 *
 * <p>Block list: per block a fixed 44 bytes, offset (8, big-endian), size (4), SHA-256 (32);
 * the count is the length divided by 44. Fixed width keeps a 16,000-block list a single
 * allocation to encode and decode.
 *
 * <p>Decoding rejects malformed input with {@link IllegalArgumentException}; the caller adds
 * which row it came from.
 */
final class BlobCodec {
    static final int BLOCK_BYTES = 8 + 4 + BlockHash.LENGTH;

    private BlobCodec() {
    }

    static byte[] encodeVersion(VersionVector version) {
        Map<Long, Long> entries = version.asMap();
        ByteBuffer out = ByteBuffer.allocate(10 + entries.size() * (8 + 10));
        putVarint(out, entries.size());
        entries.forEach((device, counter) -> {
            out.putLong(device);
            putVarint(out, counter);
        });
        return Arrays.copyOf(out.array(), out.position());
    }

    static VersionVector decodeVersion(byte[] blob) {
        ByteBuffer in = ByteBuffer.wrap(blob);
        try {
            long count = getVarint(in);
            if (count > blob.length / 9) {
                throw new IllegalArgumentException("version vector claims " + count + " entries in " + blob.length + " bytes");
            }
            Map<Long, Long> entries = new TreeMap<>();
            long previous = 0;
            for (long i = 0; i < count; i++) {
                long device = in.getLong();
                if (i > 0 && device <= previous) {
                    throw new IllegalArgumentException("version vector devices not in ascending order");
                }
                previous = device;
                long counter = getVarint(in);
                if (counter <= 0) {
                    throw new IllegalArgumentException("version vector counter " + counter + " is not positive");
                }
                entries.put(device, counter);
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " trailing bytes after version vector");
            }
            return VersionVector.of(entries);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("version vector truncated at " + blob.length + " bytes", e);
        }
    }

    static byte[] encodeBlocks(List<Block> blocks) {
        ByteBuffer out = ByteBuffer.allocate(blocks.size() * BLOCK_BYTES);
        for (Block b : blocks) {
            out.putLong(b.offset());
            out.putInt(b.size());
            out.put(b.hash().bytes());
        }
        return out.array();
    }

    static List<Block> decodeBlocks(byte[] blob) {
        if (blob.length % BLOCK_BYTES != 0) {
            throw new IllegalArgumentException("block list of " + blob.length + " bytes is not a multiple of " + BLOCK_BYTES);
        }
        ByteBuffer in = ByteBuffer.wrap(blob);
        List<Block> blocks = new ArrayList<>(blob.length / BLOCK_BYTES);
        while (in.hasRemaining()) {
            long offset = in.getLong();
            int size = in.getInt();
            byte[] hash = new byte[BlockHash.LENGTH];
            in.get(hash);
            blocks.add(new Block(offset, size, BlockHash.wrap(hash)));
        }
        return blocks;
    }

    private static void putVarint(ByteBuffer out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    private static long getVarint(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint longer than 10 bytes");
    }
}
