package org.meshfold.protocol;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.meshfold.identity.DeviceId;
import org.meshfold.replication.Peer;

/**
 * Keeps at most one live connection per device and matches connections to pending dials.
 *
 * <p>Design note (simultaneous open): when two devices dial each other at once, both must keep
 * the same connection: the one initiated by the smaller device id. Only the smaller device can
 * tell that two connections are racing (it knows whether it is dialing), so it alone decides:
 * when a connection authenticates it sends Hello if it accepts it, or Close {@value #DUPLICATE}
 * instead. A connection counts as established only once both Hellos have been exchanged, so a
 * losing connection is never reported to the listener on either side. The smaller device
 * refuses a connection the larger one initiated while it is dialing itself, while another
 * connection is still negotiating, or while a connection it initiated itself is established (the
 * larger device's dial may arrive after that one completed); then it probes the established one
 * with a Ping, so a dead one is noticed and the larger device's next attempt succeeds. It accepts
 * a new connection from the larger device that replaces one the larger device initiated earlier:
 * the larger device only dials again when it saw that one die. The larger device accepts whatever
 * the smaller one says Hello on; a newer established connection replaces an older one.
 *
 * <p>Thread-safe; callers complete returned futures and call listeners outside its lock.
 */
final class ConnectionRegistry {
    static final String DUPLICATE = "duplicate connection";

    enum Admission { ACCEPT, DUPLICATE, SELF }

    /** One {@link PeerNetwork#connect} attempt. */
    static final class Dial {
        final DeviceId expected;
        final InetSocketAddress address;
        final CompletableFuture<Peer> future = new CompletableFuture<>();
        private boolean inFlight = true;

        Dial(DeviceId expected, InetSocketAddress address) {
            this.expected = expected;
            this.address = address;
        }
    }

    /** What establishing a connection changed. */
    record Established(Connection replaced, List<CompletableFuture<Peer>> waiters) {
    }

    private final DeviceId self;
    private final Map<DeviceId, Connection> established = new HashMap<>();
    private final Map<DeviceId, Connection> claimed = new HashMap<>();
    private final Map<DeviceId, Integer> dialsInFlight = new HashMap<>();
    private final Map<DeviceId, List<CompletableFuture<Peer>>> waiting = new HashMap<>();

    ConnectionRegistry(DeviceId self) {
        this.self = self;
    }

    synchronized Optional<Connection> established(DeviceId device) {
        return Optional.ofNullable(established.get(device));
    }

    synchronized List<Connection> allEstablished() {
        return new ArrayList<>(established.values());
    }

    /** Registers a dial; its future completes when any connection to the device is established. */
    synchronized Dial startDial(DeviceId device, InetSocketAddress address) {
        Dial dial = new Dial(device, address);
        Connection current = established.get(device);
        if (current != null) {
            dial.inFlight = false;
            dial.future.complete(current);
            return dial;
        }
        dialsInFlight.merge(device, 1, Integer::sum);
        waiting.computeIfAbsent(device, d -> new ArrayList<>()).add(dial.future);
        return dial;
    }

    /** The dial's connection authenticated or died: it no longer stands for a connection in the making. */
    synchronized void landed(Dial dial) {
        if (dial.inFlight) {
            dial.inFlight = false;
            dialsInFlight.computeIfPresent(dial.expected, (d, n) -> n > 1 ? n - 1 : null);
        }
    }

    /** Gives up on a dial; the caller completes {@code dial.future} exceptionally if this returns true. */
    synchronized boolean abandon(Dial dial) {
        landed(dial);
        List<CompletableFuture<Peer>> list = waiting.get(dial.expected);
        if (list != null && list.remove(dial.future) && list.isEmpty()) {
            waiting.remove(dial.expected);
        }
        return !dial.future.isDone();
    }

    /** Decides whether an authenticated connection may proceed to Hello (see the design note). */
    synchronized Admission admit(Connection c) {
        DeviceId peer = c.deviceId();
        if (peer.equals(self)) {
            return Admission.SELF;
        }
        if (self.compareTo(peer) > 0) {
            return Admission.ACCEPT;
        }
        Connection current = claimed.get(peer);
        boolean live = current != null && current != c && current.isLive();
        if (c.initiator()) {
            if (live) {
                return Admission.DUPLICATE;
            }
        } else if (dialsInFlight.containsKey(peer) || (live && (current.isNegotiating() || current.initiator()))) {
            return Admission.DUPLICATE;
        }
        claimed.put(peer, c);
        return Admission.ACCEPT;
    }

    /** Both Hellos are exchanged: {@code c} becomes the device's connection. */
    synchronized Established establish(Connection c) {
        Connection old = established.put(c.deviceId(), c);
        List<CompletableFuture<Peer>> waiters = waiting.remove(c.deviceId());
        return new Established(old == c ? null : old, waiters == null ? List.of() : waiters);
    }

    synchronized void closed(Connection c) {
        established.remove(c.deviceId(), c);
        claimed.remove(c.deviceId(), c);
    }
}
