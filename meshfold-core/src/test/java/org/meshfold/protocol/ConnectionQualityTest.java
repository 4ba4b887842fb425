package org.meshfold.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectionQualityTest {

    @Test
    void of_fastAndRecentlyHeard_excellent() {
        assertThat(ConnectionQuality.of(ms(99), Duration.ofSeconds(10))).isEqualTo(ConnectionQuality.EXCELLENT);
        assertThat(ConnectionQuality.of(Duration.ofNanos(300_000), Duration.ZERO)).isEqualTo(ConnectionQuality.EXCELLENT);
    }

    @Test
    void of_roundTripAtOrOver100Ms_good() {
        assertThat(ConnectionQuality.of(ms(100), Duration.ZERO)).isEqualTo(ConnectionQuality.GOOD);
        assertThat(ConnectionQuality.of(ms(499), Duration.ofSeconds(30))).isEqualTo(ConnectionQuality.GOOD);
    }

    @Test
    void of_fastButSilentOver10s_good() {
        assertThat(ConnectionQuality.of(ms(1), Duration.ofMillis(10_001))).isEqualTo(ConnectionQuality.GOOD);
    }

    @Test
    void of_slowOrSilentOver30s_poor() {
        assertThat(ConnectionQuality.of(ms(500), Duration.ZERO)).isEqualTo(ConnectionQuality.POOR);
        assertThat(ConnectionQuality.of(ms(1), Duration.ofMillis(30_001))).isEqualTo(ConnectionQuality.POOR);
    }

    @Test
    void of_notMeasuredYet_goodWhileHeard() {
        assertThat(ConnectionQuality.of(null, Duration.ZERO)).isEqualTo(ConnectionQuality.GOOD);
        assertThat(ConnectionQuality.of(null, Duration.ofSeconds(31))).isEqualTo(ConnectionQuality.POOR);
    }

    @Test
    void stats_quality_usesTheSmoothedRoundTrip() {
        ConnectionStats stats = new ConnectionStats(1, 1, ms(300), ms(40), Duration.ofSeconds(2));

        assertThat(stats.quality()).isEqualTo(ConnectionQuality.EXCELLENT);
        assertThat(ConnectionQuality.POOR.label()).isEqualTo("poor");
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
