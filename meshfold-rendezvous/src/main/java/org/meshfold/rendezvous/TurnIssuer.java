package org.meshfold.rendezvous;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.meshfold.discovery.rendezvous.pb.TurnCredentials;
import org.meshfold.identity.DeviceId;

/**
 * Time-limited TURN credentials per the TURN REST API draft (draft-uberti-behave-turn-rest-00 §2.2),
 * as coturn's {@code use-auth-secret} checks them: "the username is the timestamp at which the
 * credentials expire, a colon, and an application-specific user id"; "password = base64(HMAC-SHA1(
 * secret, username))". The device id as user id lets coturn's logs tell devices apart. Thread-safe.
 */
final class TurnIssuer {
    private final RendezvousOptions.Turn turn;

    TurnIssuer(RendezvousOptions.Turn turn) {
        this.turn = turn;
    }

    TurnCredentials issue(DeviceId device, Instant now) {
        long expires = now.plus(turn.ttl()).getEpochSecond();
        String username = expires + ":" + device;
        return TurnCredentials.newBuilder().setUrl(turn.url()).setUsername(username)
                .setPassword(password(turn.secret(), username)).setExpiresMillis(expires * 1000).build();
    }

    static String password(String secret, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 is unavailable in this JDK", e);
        }
    }
}
