package org.meshfold.daemon;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices when this machine's network changes: an address appears or vanishes, or an interface
 * comes up or goes down (a laptop joins another Wi-Fi, a cable is plugged in, a link returns).
 * Then paths, reflexive addresses and rendezvous sessions may all be stale, and waiting for
 * connections to be found dead (20 s) or for the next retry would leave devices apart for longer
 * than needed; the owner reacts at once instead.
 *
 * <p>The JDK has no change notification, so the addresses of the interfaces that are up
 * (loopback left out) are read every {@link #INTERVAL}; reading them is cheap. The first reading
 * is the baseline, not a change; a failed reading is skipped.
 *
 * <p>Threading: checks run on {@code scheduler}, and so does {@code changed}.
 */
final class NetworkWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetworkWatch.class);
    static final Duration INTERVAL = Duration.ofSeconds(1);

    private final Supplier<Optional<Set<String>>> addresses;
    private final ScheduledExecutorService scheduler;
    private final Runnable changed;
    private Set<String> last;
    private ScheduledFuture<?> task;

    /**
     * @param addresses the machine's addresses now, or empty if they cannot be read
     * @param changed   called (on {@code scheduler}) after each change
     */
    NetworkWatch(Supplier<Optional<Set<String>>> addresses, ScheduledExecutorService scheduler, Runnable changed) {
        this.addresses = addresses;
        this.scheduler = scheduler;
        this.changed = changed;
    }

    /** Watches this machine's interfaces. */
    static NetworkWatch ofInterfaces(ScheduledExecutorService scheduler, Runnable changed) {
        return new NetworkWatch(NetworkWatch::interfaceAddresses, scheduler, changed);
    }

    void start() {
        task = scheduler.scheduleWithFixedDelay(this::check, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads the addresses and reports a change since the last reading. */
    void check() {
        Optional<Set<String>> now = addresses.get();
        if (now.isEmpty()) {
            return;
        }
        Set<String> before = last;
        last = now.get();
        if (before != null && !before.equals(last)) {
            log.info("network changed: addresses {} (were {}); reaching paired devices again", last, before);
            changed.run();
        }
    }

    /** Addresses of the interfaces that are up (with a carrier), loopback left out, as text. */
    static Optional<Set<String>> interfaceAddresses() {
        try {
            Set<String> out = new TreeSet<>();
            for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
                if (nif.isUp() && !nif.isLoopback()) {
                    for (InetAddress a : nif.inetAddresses().toList()) {
                        out.add(nif.getName() + " " + a.getHostAddress());
                    }
                }
            }
            return Optional.of(out);
        } catch (SocketException e) {
            log.debug("cannot read the network interfaces: {}", e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
