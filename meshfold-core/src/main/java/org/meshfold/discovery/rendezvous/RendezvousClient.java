package org.meshfold.discovery.rendezvous;

import com.google.protobuf.ByteString;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.meshfold.discovery.rendezvous.pb.Frame;
import org.meshfold.discovery.rendezvous.pb.Lookup;
import org.meshfold.discovery.rendezvous.pb.PairingRelay;
import org.meshfold.discovery.rendezvous.pb.PunchRequest;
import org.meshfold.discovery.rendezvous.pb.Register;
import org.meshfold.discovery.rendezvous.pb.TurnRequest;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.transport.Transport;

/**
 * A device's session with one rendezvous server (see the package documentation for the protocol).
 *
 * <p>Every request returns a future that completes on the session's event loop: with the answer,
 * with {@link RendezvousRefusedException} if the server refused, with {@link InvalidRecordException}
 * if a lookup answer does not verify (a lying or broken server), or with an {@link IOException}
 * if the session ended. Records from the server are verified here, against the requested id, so
 * the server cannot speak for a device. Thread-safe.
 */
public final class RendezvousClient implements AutoCloseable {
    private final RendezvousUrl url;
    private final DeviceIdentity identity;
    private final Clock clock;
    private final ClientHandler handler;

    private RendezvousClient(RendezvousUrl url, DeviceIdentity identity, Clock clock, ClientHandler handler) {
        this.url = url;
        this.identity = identity;
        this.clock = clock;
        this.handler = handler;
    }

    /**
     * Opens a session: dials {@code url} over {@code transport} (the server must prove the id in the
     * URL) and completes once the server has reported this device's observed address.
     *
     * @param transport a transport for this device's {@code identity}, e.g. the daemon's TCP + TLS one
     */
    public static CompletableFuture<RendezvousClient> connect(Transport transport, DeviceIdentity identity,
            RendezvousUrl url, Clock clock, RendezvousListener listener) {
        Objects.requireNonNull(listener, "listener");
        ClientHandler handler = new ClientHandler(url, listener);
        RendezvousClient client = new RendezvousClient(url, identity, clock, handler);
        InetSocketAddress address;
        try {
            address = url.address();
        } catch (IllegalArgumentException | SecurityException e) {
            return CompletableFuture.failedFuture(new IOException("cannot resolve rendezvous server " + url + ": "
                    + e.getMessage(), e));
        }
        ChannelFuture dialed = transport.dial(url.server(), address, ch -> {
            RendezvousFrames.install(ch.pipeline());
            ch.pipeline().addLast("rendezvous-client", handler);
        });
        dialed.addListener(f -> {
            if (!f.isSuccess()) {
                handler.ready().completeExceptionally(new IOException("cannot reach rendezvous server " + url + ": "
                        + f.cause().getMessage(), f.cause()));
            }
        });
        return handler.ready().thenApply(observed -> client);
    }

    public RendezvousUrl url() {
        return url;
    }

    /** This device's address as the server sees it (server-reflexive, as STUN would report). */
    public InetSocketAddress observedAddress() {
        return handler.ready().join();
    }

    /** This end of the session's connection, as the local socket is bound. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) handler.channel().localAddress();
    }

    /** Signs and publishes this device's addresses for {@code ttl}; completes with the expiry the server accepted. */
    public CompletableFuture<Instant> register(List<InetSocketAddress> addresses, Duration ttl) {
        AddressRecord record = new AddressRecord(identity.deviceId(), addresses, clock.instant().plus(ttl));
        Frame.Builder request = Frame.newBuilder()
                .setRegister(Register.newBuilder().setRecord(SignedRecords.sign(record, identity)));
        return handler.request(request).thenApply(answer -> {
            expect(answer, Frame.BodyCase.REGISTERED);
            return Instant.ofEpochMilli(answer.getRegistered().getExpiresMillis());
        });
    }

    /** The verified record of {@code device}, or empty if the server has none. */
    public CompletableFuture<Optional<LookupResult>> lookup(DeviceId device) {
        Frame.Builder request = Frame.newBuilder()
                .setLookup(Lookup.newBuilder().setDeviceId(ByteString.copyFrom(device.bytes())));
        return handler.request(request).thenApply(answer -> {
            if (answer.hasError() && answer.getError().getCode() == org.meshfold.discovery.rendezvous.pb.Error.Code.NOT_FOUND) {
                return Optional.empty();
            }
            expect(answer, Frame.BodyCase.LOOKUP_RESULT);
            try {
                AddressRecord record = SignedRecords.verify(answer.getLookupResult().getRecord(), device, clock.instant());
                Optional<InetSocketAddress> observed = answer.getLookupResult().hasObserved()
                        ? Optional.of(WireAddresses.fromWire(answer.getLookupResult().getObserved()))
                        : Optional.empty();
                return Optional.of(new LookupResult(record, observed));
            } catch (InvalidRecordException e) {
                throw new CompletionException(new InvalidRecordException("rendezvous server " + url
                        + " answered a lookup with a record that does not verify: " + e.getMessage(), e));
            } catch (IllegalArgumentException e) {
                throw new CompletionException(new InvalidRecordException("rendezvous server " + url
                        + " answered a lookup with a malformed observed address: " + e.getMessage(), e));
            }
        });
    }

    /**
     * Asks the server to coordinate a simultaneous open with {@code target}, which receives a
     * {@link PunchOffer} with {@code candidates} and the same start time as the answer.
     */
    public CompletableFuture<PunchScheduled> requestPunch(DeviceId target, List<InetSocketAddress> candidates) {
        Frame.Builder request = Frame.newBuilder().setPunchRequest(PunchRequest.newBuilder()
                .setTarget(ByteString.copyFrom(target.bytes())).addAllCandidates(WireAddresses.toWire(candidates)));
        return handler.request(request).thenApply(answer -> {
            expect(answer, Frame.BodyCase.PUNCH_SCHEDULED);
            var scheduled = answer.getPunchScheduled();
            return new PunchScheduled(Instant.ofEpochMilli(scheduled.getStartAtMillis()), scheduled.hasTargetObserved()
                    ? Optional.of(WireAddresses.fromWire(scheduled.getTargetObserved())) : Optional.empty());
        });
    }

    /** Relays an opaque pairing message (at most {@link RendezvousFrames#MAX_RELAY_PAYLOAD_BYTES}) to a connected device. */
    public CompletableFuture<Void> relayPairingMessage(DeviceId target, byte[] payload) {
        Frame.Builder request = Frame.newBuilder().setPairingRelay(PairingRelay.newBuilder()
                .setTarget(ByteString.copyFrom(target.bytes())).setPayload(ByteString.copyFrom(payload)));
        return handler.request(request).thenApply(answer -> {
            expect(answer, Frame.BodyCase.PAIRING_RELAYED);
            return null;
        });
    }

    /** Time-limited credentials for the TURN server the rendezvous server is configured with. */
    public CompletableFuture<TurnCredentials> turnCredentials() {
        return handler.request(Frame.newBuilder().setTurnRequest(TurnRequest.getDefaultInstance())).thenApply(answer -> {
            expect(answer, Frame.BodyCase.TURN_CREDENTIALS);
            var c = answer.getTurnCredentials();
            return new TurnCredentials(c.getUrl(), c.getUsername(), c.getPassword(), Instant.ofEpochMilli(c.getExpiresMillis()));
        });
    }

    /** True while the session is open. */
    public boolean isConnected() {
        Channel channel = handler.channel();
        return channel != null && channel.isActive();
    }

    @Override
    public void close() {
        handler.close();
    }

    private void expect(Frame answer, Frame.BodyCase expected) {
        if (answer.hasError()) {
            throw new CompletionException(new RendezvousRefusedException(
                    RendezvousRefusedException.Reason.of(answer.getError().getCode().name()),
                    "rendezvous server " + url + " refused: " + answer.getError().getMessage()));
        }
        if (answer.getBodyCase() != expected) {
            throw new CompletionException(new IOException("rendezvous server " + url + " answered with "
                    + answer.getBodyCase() + " where " + expected + " was expected"));
        }
    }
}
