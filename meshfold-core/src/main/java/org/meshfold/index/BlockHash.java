package org.meshfold.index;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A SHA-256 digest identifying a block (or, for a whole file, its block list). Immutable. */
public final class BlockHash {
    public static final int LENGTH = 32;
    /**
     * One digest per thread for {@link #sha256}: looking SHA-256 up in the security providers for
     * every block cost the sender's reading threads about a fifth of their time while serving a
     * large file (async-profiler). {@link MessageDigest#digest()} leaves it reset for the next use.
     */
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(BlockHash::newDigest);
    private final byte[] bytes;

    private BlockHash(byte[] bytes) {
        this.bytes = bytes;
    }

    public static BlockHash of(byte[] digest) {
        if (digest.length != LENGTH) {
            throw new IllegalArgumentException("hash must be " + LENGTH + " bytes, got " + digest.length);
        }
        return new BlockHash(digest.clone());
    }

    /** Wraps a digest the caller will not modify afterwards (no copy). */
    public static BlockHash wrap(byte[] digest) {
        if (digest.length != LENGTH) {
            throw new IllegalArgumentException("hash must be " + LENGTH + " bytes, got " + digest.length);
        }
        return new BlockHash(digest);
    }

    public static BlockHash sha256(byte[] data, int offset, int length) {
        MessageDigest md = DIGEST.get();
        md.update(data, offset, length);
        return new BlockHash(md.digest());
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** Writes the digest into {@code md} without copying. */
    public void updateDigest(MessageDigest md) {
        md.update(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockHash h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
