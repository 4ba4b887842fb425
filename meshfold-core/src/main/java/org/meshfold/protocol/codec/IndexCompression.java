package org.meshfold.protocol.codec;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.Arrays;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.meshfold.protocol.ProtocolException;
import org.meshfold.protocol.ProtocolException.Kind;

/**
 * LZ4 block compression of payloads (used for index updates, which compress well: names and
 * hashes repeat). A payload is compressed only when it is worth it, and a peer's claimed
 * uncompressed size is bounded before anything is allocated.
 */
final class IndexCompression {
    /** Payloads up to this size are sent as they are. */
    static final int MIN_COMPRESS_BYTES = 1024;
    private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.fastestInstance().safeDecompressor();

    private IndexCompression() {
    }

    /** The compressed form of {@code raw}, or null if it is small or compression saves 10% or less. */
    static byte[] compressIfWorthIt(byte[] raw) {
        if (raw.length <= MIN_COMPRESS_BYTES) {
            return null;
        }
        byte[] out = new byte[COMPRESSOR.maxCompressedLength(raw.length)];
        int length = COMPRESSOR.compress(raw, 0, raw.length, out, 0, out.length);
        return length < raw.length * 0.9 ? Arrays.copyOf(out, length) : null;
    }

    /** Decompresses a payload that claims {@code uncompressedSize} bytes (an unsigned wire value). */
    static byte[] decompress(ByteString payload, long uncompressedSize, int maxBytes) throws ProtocolException {
        if (uncompressedSize > maxBytes) {
            throw new ProtocolException(Kind.BAD_COMPRESSION, "compressed payload claims " + uncompressedSize
                    + " bytes, more than the " + maxBytes + "-byte limit");
        }
        byte[] out = new byte[(int) uncompressedSize];
        int length;
        try {
            // LZ4's offsets are absolute: the view may start inside a larger array.
            ByteBuffer src = payload.asReadOnlyByteBuffer();
            length = DECOMPRESSOR.decompress(src, src.position(), src.remaining(), ByteBuffer.wrap(out), 0, out.length);
        } catch (LZ4Exception e) {
            throw new ProtocolException(Kind.BAD_COMPRESSION, "corrupt LZ4 payload: " + e.getMessage(), e);
        }
        if (length != out.length) {
            throw new ProtocolException(Kind.BAD_COMPRESSION, "LZ4 payload holds " + length
                    + " bytes but claims " + uncompressedSize);
        }
        return out;
    }
}
