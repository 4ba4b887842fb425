package org.meshfold.discovery;

import java.util.Objects;

/**
 * A datagram on the discovery port is not an acceptable announcement. LAN packets come from
 * anyone, so this is expected now and then; the receiver drops the packet and counts it.
 */
final class InvalidAnnouncementException extends Exception {

    /** Why the packet was rejected. */
    enum Reason {
        /** Longer than {@link AnnouncementCodec#MAX_PACKET_BYTES}. */
        TOO_LARGE,
        /** Does not start with the meshfold announcement magic: some other protocol's packet. */
        BAD_MAGIC,
        /** A format version this build does not read. */
        UNSUPPORTED_VERSION,
        /** Ends before a field it declares. */
        TRUNCATED,
        /** Structurally wrong: unknown address family, port 0, too many addresses, trailing bytes. */
        MALFORMED,
        /** The device id is not the hash of the carried public key. */
        ID_MISMATCH,
        /** Issued longer ago than the allowed clock skew: stale or replayed. */
        TOO_OLD,
        /** Issued further in the future than the allowed clock skew. */
        IN_FUTURE,
        /** The signature does not verify with the carried key, or the key is not a valid Ed25519 key. */
        BAD_SIGNATURE
    }

    private final Reason reason;

    InvalidAnnouncementException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    InvalidAnnouncementException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    Reason reason() {
        return reason;
    }
}
