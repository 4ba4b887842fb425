package org.meshfold.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.meshfold.identity.DeviceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several transports as one, raced with fast fallback (DESIGN §8): it listens on every transport
 * with the same port number (TCP and UDP can share it), and a dial starts the first transport at
 * once and the next one if the first has not reached the peer within a head start (TCP blocked
 * or silently dropped), or as soon as the ones before failed. The first connection whose peer
 * authenticates wins; the others are closed before the protocol sees them, so the
 * one-connection-per-device rule never meets the losers on this side.
 *
 * <p>An attempt that reached the peer (TCP connected) is not raced further: the peer would
 * authenticate both connections and might keep the one this side closes (the smaller device
 * refuses the second as a duplicate while the first negotiates). Two attempts overlap only when
 * the first needs longer than the head start just to reach the peer.
 *
 * <p>A transport after the first that cannot listen (its port is taken) is left out with a
 * warning: the device stays reachable over the others.
 *
 * <p>The future {@link #dial} returns belongs to the first transport's channel (it is only a
 * handle for its event loop); it succeeds once a connection won the race and fails with the last
 * failure when every attempt failed. Thread-safe.
 */
public final class RacingTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(RacingTransport.class);

    private final List<Transport> transports;
    private final Duration headStart;
    private final List<Transport> listening = new ArrayList<>();

    private RacingTransport(List<Transport> transports, Duration headStart) {
        this.transports = List.copyOf(transports);
        this.headStart = headStart;
    }

    /**
     * A factory making a racing transport of what {@code factories} make, in order of
     * preference; each next transport is dialed {@code headStart} after the one before.
     */
    public static Transport.Factory factory(Duration headStart, List<Transport.Factory> factories) {
        Objects.requireNonNull(headStart, "headStart");
        if (factories.isEmpty()) {
            throw new IllegalArgumentException("a racing transport needs at least one transport");
        }
        List<Transport.Factory> all = List.copyOf(factories);
        return (identity, trusted) -> {
            List<Transport> made = new ArrayList<>();
            try {
                for (Transport.Factory f : all) {
                    made.add(f.create(identity, trusted));
                }
            } catch (RuntimeException e) {
                made.forEach(Transport::close);
                throw e;
            }
            return new RacingTransport(made, headStart);
        };
    }

    /** Listens on every transport with the first one's port; returns the first one's address. */
    @Override
    public InetSocketAddress listen(InetSocketAddress address, Consumer<Channel> setup) {
        InetSocketAddress bound = transports.getFirst().listen(address, setup);
        List<Transport> up = new ArrayList<>(List.of(transports.getFirst()));
        InetSocketAddress same = new InetSocketAddress(address.getAddress(), bound.getPort());
        for (Transport t : transports.subList(1, transports.size())) {
            try {
                t.listen(same, setup);
                up.add(t);
            } catch (UncheckedIOException e) {
                log.warn("{}; this device is reachable without it", e.getMessage());
            }
        }
        synchronized (this) {
            listening.addAll(up);
        }
        return bound;
    }

    @Override
    public ChannelFuture dial(DeviceId expected, InetSocketAddress address, Consumer<Channel> setup) {
        List<Transport> usable;
        synchronized (this) {
            usable = (listening.isEmpty() ? transports : listening).stream().filter(t -> t.canDial(address)).toList();
        }
        if (usable.isEmpty()) {
            // Let the first transport explain why it cannot reach the address.
            return transports.getFirst().dial(expected, address, setup);
        }
        return new DialRace(usable, headStart, expected, address, setup).start();
    }

    /** A lane through the first transport, in order of preference, that has lanes and can reach {@code address}. */
    @Override
    public Optional<ChannelFuture> dialLane(DeviceId expected, InetSocketAddress address, Consumer<Channel> setup) {
        for (Transport t : transports) {
            if (t.canDial(address)) {
                Optional<ChannelFuture> lane = t.dialLane(expected, address, setup);
                if (lane.isPresent()) {
                    return lane;
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean canDial(InetSocketAddress address) {
        return transports.stream().anyMatch(t -> t.canDial(address));
    }

    @Override
    public void close() {
        transports.forEach(Transport::close);
    }
}
