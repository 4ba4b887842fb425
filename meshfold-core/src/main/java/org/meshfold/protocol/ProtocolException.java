package org.meshfold.protocol;

import java.util.Objects;

/**
 * A peer broke the protocol: a frame or message that is malformed, too large, or describes
 * something impossible or unsafe. Grounds for closing the connection; the message names the
 * failure and the {@link Kind} classifies it.
 */
public final class ProtocolException extends Exception {

    /** What kind of rule was broken. */
    public enum Kind {
        /** A frame longer than the hard limit. */
        FRAME_TOO_LARGE,
        /** Bytes that do not parse as the wire format. */
        MALFORMED,
        /** A compressed payload that is inconsistent or too large. */
        BAD_COMPRESSION,
        /** A file name that could escape the folder or is otherwise unusable. */
        INVALID_NAME,
        INVALID_VERSION_VECTOR,
        INVALID_BLOCKS,
        /** A file size, type, time or other record field out of range. */
        INVALID_RECORD,
        INVALID_FOLDER,
        TOO_MANY_RECORDS,
        INVALID_REQUEST,
        INVALID_RESPONSE,
        INVALID_HELLO,
        /** A pairing message with a field of the wrong size or out of bounds. */
        INVALID_PAIRING,
        /** A message that is valid by itself but not at this point of the conversation. */
        UNEXPECTED_MESSAGE,
        /** More outstanding block requests than a well-behaved peer would send. */
        TOO_MANY_REQUESTS
    }

    private final Kind kind;

    public ProtocolException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public ProtocolException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
