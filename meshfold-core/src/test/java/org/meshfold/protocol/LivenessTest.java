package org.meshfold.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshfold.protocol.Liveness.Action;

/** Keepalive pings and dead-peer detection on a fake clock, checked when {@link Liveness#nextCheck} says. */
class LivenessTest {
    private static final long MS = 1_000_000L;

    private final long start = 1_000 * MS;
    private long now = start;
    private long lastReceived = now;
    private final Liveness liveness = new Liveness(Duration.ofSeconds(5), 3, Duration.ofSeconds(10), now, now);
    private final List<Long> pings = new ArrayList<>();

    @Test
    void tick_peerGoesSilent_pingsEveryIntervalThenDeadAfterThreeMissedPongs() {
        long deadAt = runUntilDead(start + 60_000 * MS);

        assertThat(pings).containsExactly(start + 5_000 * MS, start + 10_000 * MS, start + 15_000 * MS);
        assertThat(deadAt).isEqualTo(start + 20_000 * MS);
        assertThat(liveness.unanswered()).isEqualTo(3);
        assertThat(liveness.silence(deadAt)).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void tick_answeredKeepalive_startsTheCountAgain() {
        runUntil(start + 12_000 * MS); // pings at 5 s and 10 s, unanswered
        assertThat(pings).hasSize(2);
        lastReceived = start + 12_000 * MS; // the Pong of the second
        pings.clear();

        long deadAt = runUntilDead(start + 60_000 * MS);

        assertThat(pings).containsExactly(start + 17_000 * MS, start + 22_000 * MS, start + 27_000 * MS);
        assertThat(deadAt).isEqualTo(start + 32_000 * MS);
    }

    @Test
    void tick_bytesKeepArriving_neverDeadAndPingsOnlyForTheRoundTripTime() {
        for (long t = start + 2_000 * MS; t <= start + 60_000 * MS; t += 2_000 * MS) { // bytes every 2 s, no Pong
            runUntil(t);
            lastReceived = t;
        }

        assertThat(pings).containsExactly(start + 10_000 * MS, start + 20_000 * MS, start + 30_000 * MS,
                start + 40_000 * MS, start + 50_000 * MS, start + 60_000 * MS);
    }

    @Test
    void nextCheck_afterAnyTick_theEarliestDeadline() {
        assertThat(liveness.nextCheck()).isEqualTo(start + 5_000 * MS);
        lastReceived = start + 3_000 * MS;
        now = start + 5_000 * MS;

        assertThat(liveness.tick(now, lastReceived)).isEqualTo(Action.NONE);

        assertThat(liveness.nextCheck()).isEqualTo(start + 8_000 * MS);
        lastReceived = start + 7_000 * MS;
        now = start + 8_000 * MS;
        assertThat(liveness.tick(now, lastReceived)).isEqualTo(Action.NONE);
        assertThat(liveness.nextCheck()).as("the round-trip probe comes first").isEqualTo(start + 10_000 * MS);
    }

    @Test
    void new_nonPositiveIntervalOrNoMissedPongs_refused() {
        assertThatThrownBy(() -> new Liveness(Duration.ZERO, 3, Duration.ofSeconds(10), 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Liveness(Duration.ofSeconds(5), 0, Duration.ofSeconds(10), 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Checks when due until DEAD, which it returns the time of; fails if not dead by {@code limit}. */
    private long runUntilDead(long limit) {
        while (liveness.nextCheck() <= limit) {
            now = liveness.nextCheck();
            Action action = liveness.tick(now, lastReceived);
            if (action == Action.DEAD) {
                return now;
            }
            if (action == Action.PING) {
                pings.add(now);
            }
        }
        throw new AssertionError("not dead by " + limit + "; pings at " + pings);
    }

    /** Checks when due up to {@code until}, recording pings; none may find the peer dead. */
    private void runUntil(long until) {
        while (liveness.nextCheck() <= until) {
            now = liveness.nextCheck();
            Action action = liveness.tick(now, lastReceived);
            assertThat(action).isNotEqualTo(Action.DEAD);
            if (action == Action.PING) {
                pings.add(now);
            }
        }
        now = until;
    }
}
