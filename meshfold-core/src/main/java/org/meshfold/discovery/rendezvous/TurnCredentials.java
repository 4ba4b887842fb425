package org.meshfold.discovery.rendezvous;

import java.time.Instant;
import java.util.Objects;

/**
 * Time-limited TURN credentials in the TURN REST API form that coturn's
 * {@code use-auth-secret} accepts: {@code username = "<expiry epoch seconds>:<device id>"},
 * {@code password = base64(HMAC-SHA1(shared secret, username))}. {@link #toString()} hides the password.
 *
 * @param url the TURN server, e.g. {@code turn:203.0.113.1:3478}
 */
public record TurnCredentials(String url, String username, String password, Instant expires) {
    public TurnCredentials {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(expires, "expires");
    }

    @Override
    public String toString() {
        return "TurnCredentials[url=" + url + ", username=" + username + ", expires=" + expires + "]";
    }
}
