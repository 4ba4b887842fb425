package org.meshfold.clock;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable version vector: for each device (by its short id) the counter of the last change
 * that device made which this version includes. Stored as parallel arrays sorted by device id.
 */
public final class VersionVector {
    public static final VersionVector EMPTY = new VersionVector(new long[0], new long[0]);

    /** How two versions relate. */
    public enum Order { EQUAL, BEFORE, AFTER, CONCURRENT }

    private final long[] devices;
    private final long[] counters;

    private VersionVector(long[] devices, long[] counters) {
        this.devices = devices;
        this.counters = counters;
    }

    /** Builds a vector from a map; zero counters are dropped. Counters must not be negative. */
    public static VersionVector of(Map<Long, Long> entries) {
        TreeMap<Long, Long> sorted = new TreeMap<>();
        entries.forEach((d, c) -> {
            if (c < 0) {
                throw new IllegalArgumentException("negative counter " + c + " for device " + Long.toHexString(d));
            }
            if (c > 0) {
                sorted.put(d, c);
            }
        });
        long[] ds = new long[sorted.size()];
        long[] cs = new long[sorted.size()];
        int i = 0;
        for (var e : sorted.entrySet()) {
            ds[i] = e.getKey();
            cs[i++] = e.getValue();
        }
        return new VersionVector(ds, cs);
    }

    public int size() {
        return devices.length;
    }

    public long counter(long device) {
        int i = Arrays.binarySearch(devices, device);
        return i >= 0 ? counters[i] : 0;
    }

    public Map<Long, Long> asMap() {
        TreeMap<Long, Long> m = new TreeMap<>();
        for (int i = 0; i < devices.length; i++) {
            m.put(devices[i], counters[i]);
        }
        return m;
    }

    /** This version with {@code device}'s counter raised to the highest counter in it plus one. */
    public VersionVector bump(long device) {
        return bump(device, 0);
    }

    /**
     * Like {@link #bump(long)}, but the new counter is at least the wall-clock second of
     * {@code at}. A device whose index was lost starts again from an empty vector; time-based
     * counters keep its new edits from being dominated by records of its own older edits that
     * peers still hold (as Syncthing's version counters do).
     */
    public VersionVector bump(long device, Hlc at) {
        return bump(device, at.physicalMillis() / 1000);
    }

    private VersionVector bump(long device, long atLeast) {
        long highest = 0;
        for (long c : counters) {
            highest = Math.max(highest, c);
        }
        Map<Long, Long> m = asMap();
        m.put(device, Math.max(highest + 1, atLeast));
        return of(m);
    }

    /** The least vector that dominates or equals both. */
    public VersionVector merge(VersionVector other) {
        Map<Long, Long> m = asMap();
        other.asMap().forEach((d, c) -> m.merge(d, c, Math::max));
        return of(m);
    }

    public Order compare(VersionVector other) {
        boolean less = false;
        boolean greater = false;
        int i = 0;
        int j = 0;
        while (i < devices.length || j < other.devices.length) {
            long a;
            long b;
            if (j >= other.devices.length || (i < devices.length && devices[i] < other.devices[j])) {
                a = counters[i++];
                b = 0;
            } else if (i >= devices.length || other.devices[j] < devices[i]) {
                a = 0;
                b = other.counters[j++];
            } else {
                a = counters[i++];
                b = other.counters[j++];
            }
            if (a < b) {
                less = true;
            } else if (a > b) {
                greater = true;
            }
        }
        if (less && greater) {
            return Order.CONCURRENT;
        }
        return less ? Order.BEFORE : greater ? Order.AFTER : Order.EQUAL;
    }

    public boolean dominates(VersionVector other) {
        return compare(other) == Order.AFTER;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionVector v && Arrays.equals(devices, v.devices) && Arrays.equals(counters, v.counters);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(devices) + Arrays.hashCode(counters);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < devices.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(String.format("%016x", devices[i]), 0, 7).append(':').append(counters[i]);
        }
        return sb.append('}').toString();
    }
}
