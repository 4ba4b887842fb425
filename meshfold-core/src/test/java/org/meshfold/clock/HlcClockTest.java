package org.meshfold.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HlcClockTest {
    private final AtomicLong wallMillis = new AtomicLong(1_000);
    private final HlcClock hlc = new HlcClock(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(wallMillis.get());
        }
    });

    @Test
    void now_withinOneMillisecond_countsLogically() {
        assertThat(hlc.now()).isEqualTo(new Hlc(1_000, 0));
        assertThat(hlc.now()).isEqualTo(new Hlc(1_000, 1));
    }

    @Test
    void now_whenWallClockGoesBack_neverGoesBackwards() {
        Hlc first = hlc.now();
        wallMillis.set(500);

        assertThat(hlc.now()).isGreaterThan(first);
    }

    @Test
    void observe_remoteAhead_laterLocalEventsOrderAfterIt() {
        Hlc remote = new Hlc(5_000, 7);
        hlc.observe(remote);

        assertThat(hlc.now()).isGreaterThan(remote);
    }
}
