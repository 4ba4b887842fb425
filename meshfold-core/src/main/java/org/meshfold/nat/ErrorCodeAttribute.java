package org.meshfold.nat;

import java.util.Objects;

/** ERROR-CODE (RFC 8489 §14.8): a code 300–699 and a UTF-8 reason phrase. */
public record ErrorCodeAttribute(int code, String reason) implements StunAttribute {
    public static final int UNAUTHENTICATED = 401;
    public static final int FORBIDDEN = 403;
    public static final int ALLOCATION_MISMATCH = 437;
    public static final int STALE_NONCE = 438;
    public static final int WRONG_CREDENTIALS = 441;
    public static final int INSUFFICIENT_CAPACITY = 508;

    public ErrorCodeAttribute {
        Objects.requireNonNull(reason, "reason");
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("STUN error codes are 300-699, got " + code);
        }
    }

    @Override
    public int type() {
        return StunAttributeType.ERROR_CODE;
    }
}
