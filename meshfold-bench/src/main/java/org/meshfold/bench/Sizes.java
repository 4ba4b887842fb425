package org.meshfold.bench;

import java.util.Locale;

/** Binary size units for the benchmark's labels and figures. */
final class Sizes {
    static final double KIB = 1024.0;
    static final double MIB = 1024.0 * 1024.0;
    private static final long GIB = 1L << 30;

    private Sizes() {
    }

    /** "1 GiB", "256 MiB", "1.5 GiB". */
    static String binary(long bytes) {
        if (bytes >= GIB) {
            return trim(bytes / (double) GIB) + " GiB";
        }
        return trim(bytes / MIB) + " MiB";
    }

    private static String trim(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : String.format(Locale.ROOT, "%.1f", x);
    }
}
