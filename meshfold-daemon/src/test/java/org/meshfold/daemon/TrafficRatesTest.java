package org.meshfold.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshfold.identity.DeviceId;

class TrafficRatesTest {
    private static final DeviceId DEVICE = id(1);
    private static final long SECOND = 1_000_000_000L;

    private long now;
    private final TrafficRates rates = new TrafficRates(() -> now);
    private final Object connection = new Object();

    @Test
    void rate_afterOneSample_unknown() {
        sample(connection, 1000, 500);

        assertThat(rates.rate(DEVICE)).isEmpty();
    }

    @Test
    void rate_twoSamples_growthPerSecond() {
        sample(connection, 1000, 500);
        now += 2 * SECOND;
        sample(connection, 5000, 700);

        assertThat(rates.rate(DEVICE)).contains(new TrafficRates.Rate(2000, 100));
    }

    @Test
    void rate_manySamples_averagesOverTheLastWindowOnly() {
        sample(connection, 0, 0);
        now += SECOND;
        sample(connection, 1_000_000, 0); // a burst in the first second, then quiet
        for (int i = 0; i < TrafficRates.WINDOW_SAMPLES; i++) {
            now += SECOND;
            sample(connection, 1_000_000 + 100L * (i + 1), 10L * (i + 1));
        }

        assertThat(rates.rate(DEVICE)).contains(new TrafficRates.Rate(100, 10));
    }

    @Test
    void sample_newConnectionOfTheSameDevice_startsOver() {
        sample(connection, 1_000_000, 1_000_000);
        now += SECOND;
        sample(connection, 2_000_000, 2_000_000);
        Object reconnected = new Object();

        now += SECOND;
        sample(reconnected, 300, 100);
        assertThat(rates.rate(DEVICE)).isEmpty();
        now += SECOND;
        sample(reconnected, 600, 300);

        assertThat(rates.rate(DEVICE)).contains(new TrafficRates.Rate(300, 200));
    }

    @Test
    void sample_deviceNoLongerConnected_forgotten() {
        sample(connection, 0, 0);
        now += SECOND;
        sample(connection, 10, 10);

        now += SECOND;
        rates.sample(Map.of());

        assertThat(rates.rate(DEVICE)).isEmpty();
    }

    private void sample(Object conn, long in, long out) {
        rates.sample(Map.of(DEVICE, new TrafficRates.Totals(conn, in, out)));
    }

    private static DeviceId id(int first) {
        byte[] b = new byte[32];
        b[0] = (byte) first;
        return DeviceId.of(b);
    }
}
