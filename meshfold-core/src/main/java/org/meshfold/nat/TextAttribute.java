package org.meshfold.nat;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * USERNAME, REALM, NONCE or SOFTWARE: UTF-8 text with the length limits of RFC 8489 §14
 * (username 513 bytes, the others 763 bytes).
 */
public record TextAttribute(int type, String value) implements StunAttribute {
    public TextAttribute {
        Objects.requireNonNull(value, "value");
        int max = maxBytes(type);
        if (max < 0) {
            throw new IllegalArgumentException("not a text attribute type: " + type);
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > max) {
            throw new IllegalArgumentException("attribute " + type + " longer than " + max + " bytes");
        }
    }

    static int maxBytes(int type) {
        return switch (type) {
            case StunAttributeType.USERNAME -> 513;
            case StunAttributeType.REALM, StunAttributeType.NONCE, StunAttributeType.SOFTWARE -> 763;
            default -> -1;
        };
    }
}
