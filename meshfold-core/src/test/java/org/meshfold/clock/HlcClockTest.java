package org.meshfold.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HlcClockTest {
    private final ManualClock wall = new ManualClock(1_000);
    private final AtomicLong wallMillis = wall.counter();
    private final HlcClock hlc = new HlcClock(wall);

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
