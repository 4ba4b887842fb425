package org.meshfold.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RttEstimatorTest {
    private long now = 5_000_000_000L;
    private final RttEstimator rtt = new RttEstimator(() -> now);

    @Test
    void latest_beforeAnyPong_unknown() {
        rtt.pingSent(1);

        assertThat(rtt.latest()).isNull();
        assertThat(rtt.smoothed()).isNull();
    }

    @Test
    void pongReceived_firstSample_setsLatestAndSmoothedToIt() {
        rtt.pingSent(7);
        now += 40_000_000;

        assertThat(rtt.pongReceived(7)).isTrue();

        assertThat(rtt.latest()).isEqualTo(Duration.ofMillis(40));
        assertThat(rtt.smoothed()).isEqualTo(Duration.ofMillis(40));
    }

    @Test
    void pongReceived_laterSamples_smoothWithAnEighthOfEachNewSample() {
        sample(1, 80);
        sample(2, 160); // SRTT = 7/8 * 80 + 1/8 * 160 = 90
        assertThat(rtt.smoothed()).isEqualTo(Duration.ofMillis(90));

        sample(3, 10); // SRTT = 7/8 * 90 + 1/8 * 10 = 80

        assertThat(rtt.latest()).isEqualTo(Duration.ofMillis(10));
        assertThat(rtt.smoothed()).isEqualTo(Duration.ofMillis(80));
    }

    @Test
    void pongReceived_unknownOrRepeatedNonce_ignored() {
        sample(1, 20);
        rtt.pingSent(2);
        now += 500_000_000;

        assertThat(rtt.pongReceived(99)).isFalse();
        assertThat(rtt.pongReceived(1)).isFalse();
        assertThat(rtt.pongReceived(2)).isTrue();
        assertThat(rtt.pongReceived(2)).isFalse();
        assertThat(rtt.latest()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void pongReceived_forASupersededPing_ignored() {
        rtt.pingSent(1);
        now += 1_000_000;
        rtt.pingSent(2);
        now += 3_000_000;

        assertThat(rtt.pongReceived(1)).isFalse();
        assertThat(rtt.pongReceived(2)).isTrue();
        assertThat(rtt.latest()).isEqualTo(Duration.ofMillis(3));
    }

    private void sample(long nonce, long millis) {
        rtt.pingSent(nonce);
        now += millis * 1_000_000;
        assertThat(rtt.pongReceived(nonce)).isTrue();
    }
}
