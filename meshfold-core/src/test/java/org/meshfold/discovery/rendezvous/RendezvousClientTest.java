package org.meshfold.discovery.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.discovery.rendezvous.pb.Frame;
import org.meshfold.discovery.rendezvous.pb.LookupResult;
import org.meshfold.discovery.rendezvous.pb.ObservedAddress;
import org.meshfold.discovery.rendezvous.pb.RecordBody;
import org.meshfold.discovery.rendezvous.pb.SignedRecord;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.transport.AuthenticatedPeer;
import org.meshfold.transport.TcpTlsTransport;

/** The device end against a lying rendezvous server that answers every lookup with a chosen record. */
class RendezvousClientTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path base;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final AtomicReference<SignedRecord> answer = new AtomicReference<>();
    private DeviceIdentity victim;
    private DeviceIdentity impostor;
    private RendezvousClient client;

    @BeforeEach
    void start() throws Exception {
        DeviceIdentity serverIdentity = DeviceIdentity.loadOrCreate(base.resolve("server"));
        victim = DeviceIdentity.loadOrCreate(base.resolve("victim"));
        impostor = DeviceIdentity.loadOrCreate(base.resolve("impostor"));
        DeviceIdentity me = DeviceIdentity.loadOrCreate(base.resolve("me"));
        TcpTlsTransport serverTransport = keep(TcpTlsTransport.create(serverIdentity, d -> true));
        InetSocketAddress bound = serverTransport.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ch -> {
            RendezvousFrames.install(ch.pipeline());
            ch.pipeline().addLast(new LyingServer());
        });
        TcpTlsTransport transport = keep(TcpTlsTransport.create(me, d -> false));
        RendezvousUrl url = new RendezvousUrl("127.0.0.1", bound.getPort(), serverIdentity.deviceId());
        client = keep(RendezvousClient.connect(transport, me, url, CLOCK, new RendezvousListener() { })
                .get(10, TimeUnit.SECONDS));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T keep(T resource) {
        open.add(resource);
        return resource;
    }

    private final class LyingServer extends SimpleChannelInboundHandler<Frame> {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof AuthenticatedPeer peer) {
                ctx.writeAndFlush(Frame.newBuilder().setObservedAddress(
                        ObservedAddress.newBuilder().setAddress(WireAddresses.toWire(peer.remote()))).build());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            ctx.writeAndFlush(Frame.newBuilder().setRequestId(frame.getRequestId())
                    .setLookupResult(LookupResult.newBuilder().setRecord(answer.get())).build());
        }
    }

    private static AddressRecord recordOf(DeviceIdentity device) {
        return new AddressRecord(device.deviceId(), List.of(new InetSocketAddress("198.51.100.66", 22000)),
                CLOCK.instant().plus(Duration.ofMinutes(5)));
    }

    private Throwable lookupFailure() {
        try {
            client.lookup(victim.deviceId()).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the client accepted a record the server forged");
    }

    @Test
    void lookup_honestRecord_isAccepted() throws Exception {
        answer.set(SignedRecords.sign(recordOf(victim), victim));

        var result = client.lookup(victim.deviceId()).get(10, TimeUnit.SECONDS);

        assertThat(result).isPresent();
        assertThat(result.get().record()).isEqualTo(recordOf(victim));
    }

    @Test
    void lookup_recordOfAnotherDevice_isRejected() {
        answer.set(SignedRecords.sign(recordOf(impostor), impostor));

        assertThat(lookupFailure()).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("asked for the record of device " + victim.deviceId());
    }

    @Test
    void lookup_recordClaimingTheDeviceButSignedByAnotherKey_isRejected() {
        SignedRecord impostorsOwn = SignedRecords.sign(recordOf(impostor), impostor);
        byte[] claimsVictim = RecordBody.newBuilder().setDeviceId(ByteString.copyFrom(victim.deviceId().bytes()))
                .addAddresses(WireAddresses.toWire(new InetSocketAddress("198.51.100.66", 22000)))
                .setExpiresMillis(CLOCK.millis() + 300_000).build().toByteArray();
        // Re-signed by the impostor over the forged body, carrying the impostor's key.
        SignedRecord forged = SignedRecords.sign(recordOf(impostor), impostor).toBuilder()
                .setBody(ByteString.copyFrom(claimsVictim)).build();
        answer.set(forged);

        assertThat(impostorsOwn.getPublicKey()).isEqualTo(forged.getPublicKey());
        assertThat(lookupFailure()).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("claims device " + victim.deviceId())
                .hasMessageContaining("carries the key of " + impostor.deviceId());
    }

    @Test
    void lookup_victimsKeyWithAlteredAddresses_isRejected() {
        SignedRecord genuine = SignedRecords.sign(recordOf(victim), victim);
        byte[] altered = RecordBody.newBuilder().setDeviceId(ByteString.copyFrom(victim.deviceId().bytes()))
                .addAddresses(WireAddresses.toWire(new InetSocketAddress("203.0.113.66", 22000)))
                .setExpiresMillis(CLOCK.millis() + 300_000).build().toByteArray();
        answer.set(genuine.toBuilder().setBody(ByteString.copyFrom(altered)).build());

        assertThat(lookupFailure()).isInstanceOf(InvalidRecordException.class).hasMessageContaining("does not verify");
    }

    @Test
    void lookup_expiredRecord_isRejected() {
        AddressRecord stale = new AddressRecord(victim.deviceId(), List.of(), CLOCK.instant().minusSeconds(1));
        answer.set(SignedRecords.sign(stale, victim));

        assertThat(lookupFailure()).isInstanceOf(InvalidRecordException.class).hasMessageContaining("expired");
    }

    @Test
    void connect_serverWithAnotherKeyThanTheUrl_fails() throws Exception {
        DeviceIdentity expected = DeviceIdentity.loadOrCreate(base.resolve("expected"));
        RendezvousUrl wrong = new RendezvousUrl(client.url().host(), client.url().port(), expected.deviceId());
        TcpTlsTransport transport = keep(TcpTlsTransport.create(victim, d -> false));

        assertThatThrownBy(() -> RendezvousClient.connect(transport, victim, wrong, CLOCK, new RendezvousListener() { })
                .get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }
}
