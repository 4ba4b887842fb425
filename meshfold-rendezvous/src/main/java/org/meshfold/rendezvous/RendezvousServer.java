package org.meshfold.rendezvous;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.meshfold.discovery.rendezvous.RendezvousFrames;
import org.meshfold.discovery.rendezvous.RendezvousUrl;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.transport.TcpTlsTransport;

/**
 * The rendezvous server: accepts a TLS session from any device (it learns only device ids and
 * addresses), stores their signed address records in memory, answers lookups, reports each
 * device's reflexive address, coordinates hole punching, relays pairing messages and hands out
 * TURN credentials; it answers STUN Binding requests over UDP on the same port number. The protocol is described in {@link org.meshfold.discovery.rendezvous}.
 *
 * <p>Threads: the TCP transport's event loops; each session's state lives on its channel's loop,
 * the shared {@link Registry} is concurrent.
 */
public final class RendezvousServer implements AutoCloseable {
    private final TcpTlsTransport transport;
    private final Registry registry;
    private final RendezvousOptions options;
    private final InetSocketAddress address;
    private final RendezvousUrl url;
    private final StunResponder stun; // null if the UDP port was taken

    private RendezvousServer(TcpTlsTransport transport, Registry registry, RendezvousOptions options,
            InetSocketAddress address, RendezvousUrl url, StunResponder stun) {
        this.stun = stun;
        this.transport = transport;
        this.registry = registry;
        this.options = options;
        this.address = address;
        this.url = url;
    }

    /**
     * Starts listening on {@code options.listen()} with the server's own {@code identity}.
     *
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static RendezvousServer start(DeviceIdentity identity, RendezvousOptions options) {
        Registry registry = new Registry(options.maxSessions(), options.maxRecords());
        Optional<TurnIssuer> turn = options.turn().map(TurnIssuer::new);
        // Any device may hold a session: the server only learns ids and addresses, records are signed.
        TcpTlsTransport transport = TcpTlsTransport.create(identity, device -> true);
        InetSocketAddress bound;
        try {
            bound = transport.listen(options.listen(), ch -> {
                RendezvousFrames.install(ch.pipeline());
                ch.pipeline().addLast("rendezvous-server", new ServerHandler(options, registry, turn));
            });
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
        return new RendezvousServer(transport, registry, options, bound,
                new RendezvousUrl(advertisedHost(bound), bound.getPort(), identity.deviceId()),
                StunResponder.start(bound));
    }

    /** The URL devices configure: the bound address (this host's address if bound to all) and the server's id. */
    public RendezvousUrl url() {
        return url;
    }

    public InetSocketAddress address() {
        return address;
    }

    /** Open device sessions. */
    public int sessionCount() {
        return registry.sessionCount();
    }

    /** Unexpired address records held. */
    public int recordCount() {
        return registry.recordCount(options.clock().instant());
    }

    @Override
    public void close() {
        if (stun != null) {
            stun.close();
        }
        transport.close();
    }

    private static String advertisedHost(InetSocketAddress bound) {
        InetAddress a = bound.getAddress();
        if (!a.isAnyLocalAddress()) {
            return a.getHostAddress();
        }
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return InetAddress.getLoopbackAddress().getHostAddress();
        }
    }
}
