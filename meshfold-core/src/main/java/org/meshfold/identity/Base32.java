package org.meshfold.identity;

/** RFC 4648 base32 without padding; decoding is case-insensitive. */
public final class Base32 {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private Base32() {
    }

    public static String encode(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    /** Characters needed to encode {@code bytes} bytes. */
    public static int encodedLength(int bytes) {
        return (bytes * 8 + 4) / 5;
    }

    /**
     * Decodes {@code s}; trailing bits that do not fill a byte are dropped.
     *
     * @throws IllegalArgumentException naming the first character outside the alphabet
     */
    public static byte[] decode(CharSequence s) {
        byte[] out = new byte[s.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int index = 0;
        for (int i = 0; i < s.length(); i++) {
            int value = value(s.charAt(i));
            if (value < 0) {
                throw new IllegalArgumentException("character '" + s.charAt(i) + "' at position " + (i + 1)
                        + " is not a letter or a digit 2-7");
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) {
                out[index++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return out;
    }

    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a';
        }
        if (c >= '2' && c <= '7') {
            return c - '2' + 26;
        }
        return -1;
    }
}
