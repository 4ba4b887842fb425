package org.meshfold.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final long SECOND = 1_000_000_000L;

    private double random;
    private final Backoff<String> backoff = new Backoff<>(Duration.ofSeconds(1), Duration.ofSeconds(60), 0.2,
            Duration.ofSeconds(10), () -> random);

    @Test
    void delay_withoutJitter_doublesFromOneSecondToTheCap() {
        random = 0;

        assertThat(IntStream.rangeClosed(1, 9).mapToObj(backoff::delay).map(Duration::toSeconds))
                .containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
        assertThat(backoff.delay(10_000)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void delay_fullJitter_stretchesBelowTheCapButNeverPassesIt() {
        random = 0.999_999;

        assertThat(backoff.delay(1)).isBetween(Duration.ofMillis(1199), Duration.ofMillis(1200));
        assertThat(backoff.delay(6)).isBetween(Duration.ofMillis(38_399), Duration.ofMillis(38_400));
        assertThat(backoff.delay(7)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void due_afterEachAttempt_onlyOnceItsDelayHasPassed() {
        long now = 100 * SECOND;
        assertThat(backoff.due("d", now)).isTrue();

        assertThat(backoff.attempting("d", now)).isEqualTo(1);
        assertThat(backoff.due("d", now + SECOND - 1)).isFalse();
        assertThat(backoff.due("d", now + SECOND)).isTrue();
        assertThat(backoff.attempting("d", now + SECOND)).isEqualTo(2);

        assertThat(backoff.due("d", now + 3 * SECOND - 1)).isFalse();
        assertThat(backoff.due("d", now + 3 * SECOND)).isTrue();
        assertThat(backoff.state("d")).contains(new Backoff.State(2, now + 3 * SECOND));
        assertThat(backoff.due("other", now)).isTrue();
    }

    @Test
    void succeeded_lastingTenSeconds_resetsTheAttempts() {
        long now = 0;
        for (int i = 0; i < 5; i++) {
            backoff.attempting("d", now);
        }

        backoff.succeeded("d", now + SECOND);
        backoff.succeeded("d", now + 6 * SECOND);
        assertThat(backoff.state("d")).map(Backoff.State::attempts).contains(5);
        backoff.succeeded("d", now + 11 * SECOND);

        assertThat(backoff.state("d")).isEmpty();
        assertThat(backoff.due("d", now + 11 * SECOND)).isTrue();
        assertThat(backoff.attempting("d", now + 11 * SECOND)).isEqualTo(1);
    }

    @Test
    void succeeded_droppedAfterTwoSeconds_keepsTheAttemptsAndTheirSchedule() {
        long now = 0;
        for (int i = 0; i < 4; i++) { // the fourth at 0 s makes the next due at 8 s
            backoff.attempting("d", now);
        }
        backoff.succeeded("d", now + SECOND);
        backoff.succeeded("d", now + 3 * SECOND); // then it is seen down again

        assertThat(backoff.due("d", now + 7 * SECOND)).isFalse();
        assertThat(backoff.due("d", now + 8 * SECOND)).isTrue();
        assertThat(backoff.attempting("d", now + 8 * SECOND)).isEqualTo(5);
    }

    @Test
    void reset_dueAtOnceAsTheFirstAttempt() {
        backoff.attempting("d", 0);
        backoff.attempting("d", SECOND);

        backoff.reset("d");

        assertThat(backoff.due("d", SECOND)).isTrue();
        assertThat(backoff.attempting("d", SECOND)).isEqualTo(1);
    }

    @Test
    void new_firstOverMax_refused() {
        assertThatThrownBy(() -> new Backoff<>(Duration.ofSeconds(2), Duration.ofSeconds(1), 0, Duration.ZERO, () -> 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
