package org.meshfold.nat;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/** The 96-bit transaction id that pairs a STUN response with its request (RFC 8489 §6). */
public record TransactionId(byte[] bytes) {
    public static final int LENGTH = 12;

    public TransactionId {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a STUN transaction id has 12 bytes, got " + bytes.length);
        }
        bytes = bytes.clone();
    }

    /** A fresh id; RFC 8489 asks for a cryptographically random one, so pass a SecureRandom. */
    public static TransactionId random(RandomGenerator random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return new TransactionId(b);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransactionId t && Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
