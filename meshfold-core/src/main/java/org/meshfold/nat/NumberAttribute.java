package org.meshfold.nat;

/**
 * A small number: LIFETIME in seconds (32 bits), CHANNEL-NUMBER (16 bits followed by 16 zero
 * bits, RFC 8656 §18.1) or REQUESTED-TRANSPORT (a protocol number followed by 24 zero bits,
 * RFC 8656 §18.7; 17 is UDP).
 */
public record NumberAttribute(int type, long value) implements StunAttribute {
    public static final int UDP = 17;

    public NumberAttribute {
        long max = switch (type) {
            case StunAttributeType.LIFETIME -> 0xFFFF_FFFFL;
            case StunAttributeType.CHANNEL_NUMBER -> 0xFFFF;
            case StunAttributeType.REQUESTED_TRANSPORT -> 0xFF;
            default -> throw new IllegalArgumentException("not a number attribute type: " + type);
        };
        if (value < 0 || value > max) {
            throw new IllegalArgumentException("attribute " + type + " value out of range: " + value);
        }
    }

    static boolean isNumberType(int type) {
        return type == StunAttributeType.LIFETIME || type == StunAttributeType.CHANNEL_NUMBER
                || type == StunAttributeType.REQUESTED_TRANSPORT;
    }
}
