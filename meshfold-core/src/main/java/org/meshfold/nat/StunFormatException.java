package org.meshfold.nat;

/**
 * A datagram or stream frame that claims to be STUN or ChannelData but is not well formed. Every
 * byte from the network is hostile: the caller drops the datagram (UDP) or closes the connection
 * (TCP). Each failure kind has its own subclass so callers and tests can tell them apart.
 */
public class StunFormatException extends Exception {
    StunFormatException(String message) {
        super(message);
    }

    /** Fewer bytes than the header or a declared length needs. */
    public static final class Truncated extends StunFormatException {
        Truncated(String message) {
            super(message);
        }
    }

    /** A length field that is not a multiple of four, overruns the message, or breaks a type's rule. */
    public static final class BadLength extends StunFormatException {
        BadLength(String message) {
            super(message);
        }
    }

    /** The magic cookie 0x2112A442 or the leading zero bits are missing: not STUN (RFC 8489 §6). */
    public static final class BadCookie extends StunFormatException {
        BadCookie(String message) {
            super(message);
        }
    }

    /** FINGERPRINT present but not CRC-32(message) XOR 0x5354554E (RFC 8489 §14.7). */
    public static final class BadFingerprint extends StunFormatException {
        BadFingerprint(String message) {
            super(message);
        }
    }

    /** MESSAGE-INTEGRITY missing where required, or its HMAC does not match our key. */
    public static final class IntegrityMismatch extends StunFormatException {
        IntegrityMismatch(String message) {
            super(message);
        }
    }

    /** An attribute value that violates its definition (bad address family, bad error class). */
    public static final class BadAttribute extends StunFormatException {
        BadAttribute(String message) {
            super(message);
        }
    }
}
