package org.meshfold.identity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Locale;

/**
 * A device's identity: SHA-256 of its public key.
 *
 * <p>Text form: the 32 bytes in RFC 4648 base32 (52 characters, no padding), split into four
 * groups of 13 characters, each followed by a Luhn mod-32 check character, shown as eight
 * dash-separated groups of seven. A mistyped character or a swap of two neighbours is detected
 * by {@link #parse}, as with Syncthing's device ids.
 */
public final class DeviceId implements Comparable<DeviceId> {
    public static final int LENGTH = 32;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private final byte[] bytes;

    private DeviceId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static DeviceId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("device id must be " + LENGTH + " bytes, got " + bytes.length);
        }
        return new DeviceId(bytes.clone());
    }

    public static DeviceId of(PublicKey key) {
        try {
            return new DeviceId(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Parses the text form; dashes, spaces and case are ignored. */
    public static DeviceId parse(String text) {
        String s = text.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
        if (s.length() != 56) {
            throw new InvalidDeviceIdException(text, "expected 56 characters (8 groups of 7), got " + s.length());
        }
        StringBuilder data = new StringBuilder(52);
        for (int g = 0; g < 4; g++) {
            String group = s.substring(g * 14, g * 14 + 13);
            char check = s.charAt(g * 14 + 13);
            for (char c : (group + check).toCharArray()) {
                if (ALPHABET.indexOf(c) < 0) {
                    throw new InvalidDeviceIdException(text, "character '" + c + "' is not in A-Z, 2-7");
                }
            }
            if (luhn32(group) != check) {
                throw new InvalidDeviceIdException(text, "check character of group " + (g + 1) + " does not match (typo?)");
            }
            data.append(group);
        }
        return new DeviceId(Base32.decode(data));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** First 8 bytes as a long: the compact key used in version vectors and the index. */
    public long shortId() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (bytes[i] & 0xff);
        }
        return v;
    }

    /** First group of the text form, for logs and file names. */
    public String shortText() {
        return toString().substring(0, 7);
    }

    @Override
    public String toString() {
        String data = Base32.encode(bytes);
        StringBuilder withChecks = new StringBuilder(56);
        for (int g = 0; g < 4; g++) {
            String group = data.substring(g * 13, g * 13 + 13);
            withChecks.append(group).append(luhn32(group));
        }
        StringBuilder out = new StringBuilder(63);
        for (int i = 0; i < 56; i += 7) {
            if (i > 0) {
                out.append('-');
            }
            out.append(withChecks, i, i + 7);
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(DeviceId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    /** Luhn mod N over the base32 alphabet (N = 32). */
    static char luhn32(String s) {
        int factor = 1;
        int sum = 0;
        int n = ALPHABET.length();
        for (int i = 0; i < s.length(); i++) {
            int codepoint = ALPHABET.indexOf(s.charAt(i));
            int addend = factor * codepoint;
            factor = factor == 2 ? 1 : 2;
            addend = (addend / n) + (addend % n);
            sum += addend;
        }
        int remainder = sum % n;
        return ALPHABET.charAt((n - remainder) % n);
    }
}
