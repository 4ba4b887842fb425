package org.meshfold.daemon;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When to try again, per key (a device), after attempts that did not lead to a lasting success.
 *
 * <p>The first attempt is due at once. Each attempt makes the next one due {@link #delay} after it
 * started: {@code first} doubling with every attempt ({@code first}, 2 × {@code first}, 4 ×
 * {@code first}, …), each stretched by a random factor in [1, 1 + {@code jitter}), and never over
 * {@code max}. The stretch spreads devices that lost the same peer at the same moment, so they do
 * not retry in lockstep; it only lengthens delays, and the cap is exact, so attempts at the cap are
 * never closer than {@code max} apart. Measuring from the start of each attempt keeps that bound
 * however long an attempt takes.
 *
 * <p>A success resets the key, so that after a later loss the first attempt is again immediate;
 * but only once it has lasted {@code stable}: a peer that accepts connections and drops them at
 * once keeps its growing delays instead of being dialed again and again.
 *
 * <p>Times are on one monotonic nanosecond scale, like {@link System#nanoTime}. Thread-safe.
 */
final class Backoff<K> {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(60);
    static final double JITTER = 0.2;
    static final Duration STABLE = Duration.ofSeconds(10);

    /** One key: attempts since the last reset, when the next is due, since when it has been seen up (or -1). */
    private record Entry(int attempts, long next, long upSince) {
    }

    /**
     * Where a key stands.
     *
     * @param attempts attempts since the key was last reset
     * @param next     when the next attempt is due, on the {@code nanoTime} scale
     */
    record State(int attempts, long next) {
    }

    private final long first;
    private final long max;
    private final double jitter;
    private final long stable;
    private final DoubleSupplier random;
    private final Map<K, Entry> entries = new ConcurrentHashMap<>();

    /**
     * @param random uniform in [0, 1), for the jitter
     */
    Backoff(Duration first, Duration max, double jitter, Duration stable, DoubleSupplier random) {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0 || jitter < 0) {
            throw new IllegalArgumentException("backoff needs 0 < first <= max and jitter >= 0: " + first + ", " + max
                    + ", " + jitter);
        }
        this.first = first.toNanos();
        this.max = max.toNanos();
        this.jitter = jitter;
        this.stable = stable.toNanos();
        this.random = random;
    }

    /** 1 s doubling to 60 s with 20 % jitter; reset after 10 s of success. */
    static <K> Backoff<K> standard() {
        return new Backoff<>(FIRST, MAX, JITTER, STABLE, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** The delay after attempt number {@code attempt} (1 for the first) until the next may start. */
    Duration delay(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts are numbered from 1: " + attempt);
        }
        double nominal = first * Math.pow(2, Math.min(attempt - 1, 62));
        return Duration.ofNanos((long) Math.min(max, nominal * (1 + jitter * random.getAsDouble())));
    }

    /** Whether an attempt for {@code key} may start at {@code now}. */
    boolean due(K key, long now) {
        Entry e = entries.get(key);
        return e == null || now >= e.next();
    }

    /** An attempt for {@code key} starts at {@code now}; returns its number (1 for the first since a reset). */
    int attempting(K key, long now) {
        Entry e = entries.compute(key, (k, old) -> {
            int n = old == null ? 1 : old.attempts() + 1;
            return new Entry(n, now + delay(n).toNanos(), -1);
        });
        return e.attempts();
    }

    /**
     * {@code key} is up: to be called whenever that is seen, at least every few seconds while it
     * lasts (the first call starts the clock). Its attempts are forgotten at the first call once it
     * has been up for {@code stable}; if it goes down before, they stand, with the next one due
     * as scheduled.
     */
    void succeeded(K key, long now) {
        entries.computeIfPresent(key, (k, e) -> {
            if (e.upSince() < 0) {
                return new Entry(e.attempts(), e.next(), now);
            }
            return now - e.upSince() >= stable ? null : e;
        });
    }

    /** Forgets {@code key}: its next attempt is due at once and counts as the first. */
    void reset(K key) {
        entries.remove(key);
    }

    /** Where {@code key} stands, if it has made attempts since it was last reset. */
    Optional<State> state(K key) {
        return Optional.ofNullable(entries.get(key)).map(e -> new State(e.attempts(), e.next()));
    }
}
