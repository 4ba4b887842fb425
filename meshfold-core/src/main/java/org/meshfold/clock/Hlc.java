package org.meshfold.clock;

/**
 * A hybrid logical clock timestamp: wall-clock milliseconds plus a logical counter that orders
 * events within (or behind) the same millisecond. See Kulkarni et al., "Logical Physical Clocks"
 * (2014).
 */
public record Hlc(long physicalMillis, int logical) implements Comparable<Hlc> {
    public static final Hlc ZERO = new Hlc(0, 0);

    public Hlc {
        if (physicalMillis < 0 || logical < 0) {
            throw new IllegalArgumentException("negative HLC component: " + physicalMillis + "/" + logical);
        }
    }

    @Override
    public int compareTo(Hlc o) {
        int c = Long.compare(physicalMillis, o.physicalMillis);
        return c != 0 ? c : Integer.compare(logical, o.logical);
    }
}
