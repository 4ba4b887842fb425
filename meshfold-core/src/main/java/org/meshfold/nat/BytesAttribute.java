package org.meshfold.nat;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An attribute kept as bytes: DATA (relayed application payload), MESSAGE-INTEGRITY and
 * FINGERPRINT as received, and any type this codec does not interpret.
 */
public record BytesAttribute(int type, byte[] value) implements StunAttribute {
    public BytesAttribute {
        if (type < 0 || type > 0xFFFF) {
            throw new IllegalArgumentException("attribute type out of range: " + type);
        }
        if (value.length > 0xFFFF) {
            throw new IllegalArgumentException("attribute longer than 65535 bytes: " + value.length);
        }
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BytesAttribute b && b.type == type && Arrays.equals(b.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return String.format("BytesAttribute[0x%04x, %s]", type,
                value.length > 32 ? value.length + " bytes" : HexFormat.of().formatHex(value));
    }
}
