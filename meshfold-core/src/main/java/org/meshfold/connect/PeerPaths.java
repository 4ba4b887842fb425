package org.meshfold.connect;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.meshfold.identity.DeviceId;

/**
 * The paths to one device: its candidate addresses, the paths proven by a pong, and the active
 * one, the best proven path (LAN before direct before relayed, then the most recently proven).
 * Time is in nanoseconds from a monotonic source the caller supplies. Not thread-safe: the
 * {@link PathSwitch} uses it on its event loop.
 */
final class PeerPaths {
    /** How a datagram travels: from our socket straight to the address, or through our TURN relay. */
    enum Route { DIRECT, OWN_RELAY }

    /** One way to the device. */
    record Path(Route route, InetSocketAddress address) {
    }

    /** A path proven to work both ways. */
    record Proven(PathKind kind, long lastPongNanos, long rttNanos) {
    }

    static final int MAX_CANDIDATES = 32;

    private final DeviceId device;
    private final Set<InetSocketAddress> candidates = new LinkedHashSet<>();
    private final Set<Path> learned = new LinkedHashSet<>();
    private final Map<Path, Proven> proven = new HashMap<>();
    private Path active;
    long punchUntilNanos;
    long nextSlowProbeNanos;
    long nextKeepaliveNanos;

    PeerPaths(DeviceId device) {
        this.device = device;
    }

    DeviceId device() {
        return device;
    }

    /** Adds addresses to try (at most {@link #MAX_CANDIDATES} kept). */
    void addCandidates(Iterable<InetSocketAddress> addresses) {
        for (InetSocketAddress a : addresses) {
            if (candidates.size() < MAX_CANDIDATES && a != null && !a.isUnresolved() && a.getPort() > 0) {
                candidates.add(a);
            }
        }
    }

    /** A path the device's ping arrived on (a peer-reflexive candidate); true if it is new. */
    boolean learn(Path path) {
        return learned.size() < MAX_CANDIDATES && learned.add(path);
    }

    /** Every path worth a probe over the routes we have. */
    List<Path> targets(boolean direct, boolean relay) {
        LinkedHashSet<Path> all = new LinkedHashSet<>();
        for (InetSocketAddress a : candidates) {
            if (direct) {
                all.add(new Path(Route.DIRECT, a));
            }
            if (relay) {
                all.add(new Path(Route.OWN_RELAY, a));
            }
        }
        for (Path p : learned) {
            if (p.route() == Route.DIRECT ? direct : relay) {
                all.add(p);
            }
        }
        return new ArrayList<>(all);
    }

    Set<Path> provenPaths() {
        return proven.keySet();
    }

    /** A pong came back on {@code path}; true if the active path changed. */
    boolean proven(Path path, PathKind kind, long now, long rttNanos) {
        proven.put(path, new Proven(kind, now, rttNanos));
        return choose();
    }

    /** Forgets paths without a pong since {@code oldest}; true if the active path changed. */
    boolean expire(long oldest) {
        proven.values().removeIf(p -> p.lastPongNanos() - oldest < 0);
        return choose();
    }

    Optional<Path> active() {
        return Optional.ofNullable(active);
    }

    Optional<PathKind> activeKind() {
        return active().map(p -> proven.get(p).kind());
    }

    /**
     * The best kind wins; among paths of that kind the most recently proven one, so the active
     * path follows the peer when it moves (a restart on a new port, a new NAT mapping): its ping
     * on the new path is answered by a ping of ours, whose pong makes that path the newest.
     */
    private boolean choose() {
        Path best = proven.entrySet().stream()
                .min(Comparator.<Map.Entry<Path, Proven>, PathKind>comparing(e -> e.getValue().kind())
                        .thenComparing(e -> -e.getValue().lastPongNanos()))
                .map(Map.Entry::getKey).orElse(null);
        boolean changed = !java.util.Objects.equals(best, active);
        active = best;
        return changed;
    }
}
