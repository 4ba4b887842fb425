package org.meshfold.nat;

/** The class bits C1 C0 of a STUN message type (RFC 8489 §5). */
public enum StunClass {
    REQUEST, INDICATION, SUCCESS, ERROR;

    int bits() {
        return ordinal();
    }

    static StunClass ofBits(int bits) {
        return values()[bits & 3];
    }
}
