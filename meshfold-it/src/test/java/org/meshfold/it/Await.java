package org.meshfold.it;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, polling; fails with a description of what was awaited. */
public final class Await {
    private static final Duration POLL = Duration.ofMillis(50);

    private Await() {
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition, () -> "");
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> diagnostics) {
        until(what, timeout, POLL, condition, diagnostics);
    }

    /** As {@link #until(String, Duration, BooleanSupplier, Supplier)}, checking every {@code interval}. */
    public static void until(String what, Duration timeout, Duration interval, BooleanSupplier condition,
            Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + " " + diagnostics.get());
            }
            LockSupport.parkNanos(interval.toNanos());
        }
    }
}
