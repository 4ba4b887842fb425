package org.meshfold.nat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TurnCredentialsTest {
    @Test
    void timeLimited_restApiFormat_matchesOpenssl() {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

        TurnCredentials c = TurnCredentials.timeLimited("north", "alice", clock, Duration.ofMinutes(10));

        assertThat(c.username()).isEqualTo("1700000600:alice");
        // echo -n '1700000600:alice' | openssl dgst -sha1 -hmac north -binary | base64
        assertThat(c.password()).isEqualTo("gthUwOpcRoLI0MMCziCEBOWYnpo=");
        assertThat(c.toString()).doesNotContain(c.password());
    }

    @Test
    void key_longTermCredentials_isMd5OfUserRealmPassword() {
        // echo -n 'u:meshfold.test:p' | md5sum
        assertThat(HexFormat.of().formatHex(new TurnCredentials("u", "p").key("meshfold.test")))
                .isEqualTo("6a9c345613ffd1be9bb4a58e82c0d529");
    }
}
