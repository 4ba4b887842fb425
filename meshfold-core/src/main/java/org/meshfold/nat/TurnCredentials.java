package org.meshfold.nat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

/**
 * A TURN username and password for the long-term credential mechanism (RFC 8489 §9.2).
 * {@link #timeLimited} builds the ephemeral credentials of the "TURN REST API"
 * (draft-uberti-behave-turn-rest, coturn's {@code --use-auth-secret}): the username is
 * "{@code <unix expiry>:<user>}" and the password base64(HMAC-SHA1(shared secret, username)), so a
 * rendezvous server that knows coturn's secret can hand them out without talking to coturn.
 */
public record TurnCredentials(String username, String password) {
    public TurnCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /** Credentials valid until now + {@code validity}, derived from coturn's static auth secret. */
    public static TurnCredentials timeLimited(String sharedSecret, String user, Clock clock, Duration validity) {
        long expiry = clock.instant().plus(validity).getEpochSecond();
        String username = expiry + ":" + user;
        byte[] mac = StunCodec.hmacSha1(sharedSecret.getBytes(StandardCharsets.UTF_8),
                username.getBytes(StandardCharsets.UTF_8), username.getBytes(StandardCharsets.UTF_8).length);
        return new TurnCredentials(username, Base64.getEncoder().encodeToString(mac));
    }

    /**
     * The MESSAGE-INTEGRITY key: MD5(username ":" realm ":" password) (RFC 8489 §9.2.2). The
     * OpaqueString preparation of the password is the identity for ASCII, which is what TURN
     * REST passwords and our configured passwords are.
     */
    public byte[] key(String realm) {
        try {
            return MessageDigest.getInstance("MD5")
                    .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "TurnCredentials[" + username + ", password hidden]";
    }
}
