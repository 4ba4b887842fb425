package org.meshfold.daemon;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.meshfold.identity.DeviceId;

/**
 * Bytes per second in and out of each connected device over a recent window. {@link #sample} is
 * given each connection's byte totals about once a second; the rate is the growth of the totals
 * across the samples of the last {@link #WINDOW_SAMPLES} intervals divided by the time they span,
 * so one burst shows for a few seconds rather than flickering.
 *
 * <p>Threading: {@link #sample} is called by one thread only (the device's scheduler), which owns
 * the sample history; {@link #rate} reads an immutable map published after each sample, from any
 * thread.
 */
final class TrafficRates {
    /** Intervals the rate is averaged over. */
    static final int WINDOW_SAMPLES = 5;

    /** A connection's rates, in bytes per second, rounded down. */
    record Rate(long inPerSecond, long outPerSecond) {
    }

    /**
     * One connection's totals now. {@code connection} identifies it: totals of a new connection
     * with the same device start again from zero, so its history starts over.
     */
    record Totals(Object connection, long bytesIn, long bytesOut) {
    }

    private record Sample(long nanos, long in, long out) {
    }

    private record History(Object connection, ArrayDeque<Sample> samples) {
    }

    private final LongSupplier nanoTime;
    private final Map<DeviceId, History> histories = new HashMap<>();
    private volatile Map<DeviceId, Rate> rates = Map.of();

    /** @param nanoTime a monotonic time source in nanoseconds, like {@link System#nanoTime} */
    TrafficRates(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Records the totals of every connected device now; a device missing from {@code connected} is forgotten. */
    void sample(Map<DeviceId, Totals> connected) {
        long now = nanoTime.getAsLong();
        histories.keySet().retainAll(connected.keySet());
        Map<DeviceId, Rate> next = new HashMap<>();
        connected.forEach((device, totals) -> {
            History h = histories.get(device);
            if (h == null || h.connection() != totals.connection()) {
                h = new History(totals.connection(), new ArrayDeque<>());
                histories.put(device, h);
            }
            h.samples().addLast(new Sample(now, totals.bytesIn(), totals.bytesOut()));
            while (h.samples().size() > WINDOW_SAMPLES + 1) {
                h.samples().removeFirst();
            }
            Sample first = h.samples().getFirst();
            long span = now - first.nanos();
            if (span > 0) {
                next.put(device, new Rate(perSecond(totals.bytesIn() - first.in(), span),
                        perSecond(totals.bytesOut() - first.out(), span)));
            }
        });
        rates = Map.copyOf(next);
    }

    /** The device's rates, once its connection has been sampled at least twice. */
    Optional<Rate> rate(DeviceId device) {
        return Optional.ofNullable(rates.get(device));
    }

    private static long perSecond(long bytes, long nanos) {
        return (long) (Math.max(0, bytes) * 1e9 / nanos);
    }
}
