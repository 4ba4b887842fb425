package org.meshfold.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.discovery.rendezvous.AddressRecord;
import org.meshfold.discovery.rendezvous.LookupResult;
import org.meshfold.discovery.rendezvous.PunchOffer;
import org.meshfold.discovery.rendezvous.PunchScheduled;
import org.meshfold.discovery.rendezvous.RendezvousClient;
import org.meshfold.discovery.rendezvous.RendezvousListener;
import org.meshfold.discovery.rendezvous.RendezvousRefusedException;
import org.meshfold.discovery.rendezvous.RendezvousRefusedException.Reason;
import org.meshfold.discovery.rendezvous.SignedRecords;
import org.meshfold.discovery.rendezvous.TurnCredentials;
import org.meshfold.discovery.rendezvous.pb.Error;
import org.meshfold.discovery.rendezvous.pb.Frame;
import org.meshfold.discovery.rendezvous.pb.Lookup;
import org.meshfold.discovery.rendezvous.pb.Register;
import org.meshfold.discovery.rendezvous.pb.SignedRecord;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.transport.TcpTlsTransport;

class RendezvousServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @TempDir
    Path base;

    private final TestClock clock = new TestClock(Instant.parse("2025-06-01T12:00:00Z"));
    private final List<AutoCloseable> open = new ArrayList<>();
    private int devices;

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

    private DeviceIdentity identity() throws IOException {
        return DeviceIdentity.loadOrCreate(base.resolve("device" + devices++));
    }

    private RendezvousServer server(RendezvousOptions options) throws IOException {
        return keep(RendezvousServer.start(identity(), options));
    }

    private RendezvousServer server() throws IOException {
        return server(RendezvousOptions.defaults(LOOPBACK).withClock(clock));
    }

    private record Device(DeviceIdentity identity, RendezvousClient client) {
    }

    private Device device(RendezvousServer server, RendezvousListener listener) throws Exception {
        DeviceIdentity identity = identity();
        TcpTlsTransport transport = keep(TcpTlsTransport.create(identity, d -> false));
        RendezvousClient client = RendezvousClient.connect(transport, identity, server.url(), clock, listener)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return new Device(identity, keep(client));
    }

    private Device device(RendezvousServer server) throws Exception {
        return device(server, new RendezvousListener() { });
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<?> future) {
        try {
            future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("expected the request to fail, got " + e, e);
        }
        throw new AssertionError("expected the request to fail, but it succeeded");
    }

    private static InetSocketAddress address(String text) {
        String[] hostPort = text.split(":");
        return new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
    }

    @Test
    void lookup_registeredDevice_returnsVerifiedRecordAndObservedAddress() throws Exception {
        RendezvousServer server = server();
        Device a = device(server);
        Device b = device(server);
        List<InetSocketAddress> addresses = List.of(address("192.168.1.20:22000"), address("203.0.113.7:22000"));

        Instant expires = await(a.client().register(addresses, Duration.ofMinutes(10)));
        Optional<LookupResult> found = await(b.client().lookup(a.identity().deviceId()));

        assertThat(expires).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
        assertThat(found).isPresent();
        assertThat(found.get().record()).isEqualTo(new AddressRecord(a.identity().deviceId(), addresses, expires));
        assertThat(found.get().observed()).contains(new InetSocketAddress("127.0.0.1", a.client().localAddress().getPort()));
        assertThat(a.client().observedAddress()).isEqualTo(a.client().localAddress());
        assertThat(await(b.client().lookup(b.identity().deviceId()))).isEmpty();
    }

    @Test
    void register_badSignature_isRefusedAndNotStored() throws Exception {
        RendezvousServer server = server();
        DeviceIdentity identity = identity();
        RawSession raw = keep(new RawSession(identity, server.url()));
        SignedRecord good = SignedRecords.sign(new AddressRecord(identity.deviceId(), List.of(address("10.0.0.1:22000")),
                clock.instant().plus(Duration.ofMinutes(5))), identity);
        byte[] signature = good.getSignature().toByteArray();
        signature[0] ^= 1;
        SignedRecord forged = good.toBuilder().setSignature(ByteString.copyFrom(signature)).build();

        raw.send(Frame.newBuilder().setRequestId(1).setRegister(Register.newBuilder().setRecord(forged)).build());
        Frame answer = raw.answer(WAIT);
        raw.send(Frame.newBuilder().setRequestId(2).setLookup(Lookup.newBuilder()
                .setDeviceId(ByteString.copyFrom(identity.deviceId().bytes()))).build());
        Frame lookup = raw.answer(WAIT);

        assertThat(answer.getRequestId()).isEqualTo(1);
        assertThat(answer.getError().getCode()).isEqualTo(Error.Code.BAD_RECORD);
        assertThat(answer.getError().getMessage()).contains("signature").contains("does not verify");
        assertThat(lookup.getError().getCode()).isEqualTo(Error.Code.NOT_FOUND);
        assertThat(server.recordCount()).isZero();
    }

    @Test
    void register_recordOfAnotherDevice_isRefused() throws Exception {
        RendezvousServer server = server();
        DeviceIdentity other = identity();
        RawSession raw = keep(new RawSession(identity(), server.url()));
        SignedRecord othersRecord = SignedRecords.sign(new AddressRecord(other.deviceId(), List.of(address("10.0.0.1:22000")),
                clock.instant().plus(Duration.ofMinutes(5))), other);

        raw.send(Frame.newBuilder().setRequestId(7).setRegister(Register.newBuilder().setRecord(othersRecord)).build());
        Frame answer = raw.answer(WAIT);

        assertThat(answer.getError().getCode()).isEqualTo(Error.Code.BAD_RECORD);
        assertThat(answer.getError().getMessage()).contains(other.deviceId().toString());
        assertThat(server.recordCount()).isZero();
    }

    @Test
    void oversizedFrame_closesThatSessionWhileAnotherKeepsWorking() throws Exception {
        RendezvousServer server = server();
        Device bystander = device(server);
        await(bystander.client().register(List.of(address("10.0.0.2:22000")), Duration.ofMinutes(5)));
        RawSession raw = keep(new RawSession(identity(), server.url()));

        byte[] huge = new byte[4 + 1024];
        ByteBuffer.wrap(huge).putInt(1 << 20);
        raw.sendBytes(huge);
        Frame refusal = raw.answer(WAIT);

        assertThat(refusal.getError().getCode()).isEqualTo(Error.Code.FRAME_TOO_LARGE);
        assertThat(raw.closedWithin(WAIT)).isTrue();
        assertThat(await(bystander.client().lookup(bystander.identity().deviceId()))).isPresent();
        assertThat(bystander.client().isConnected()).isTrue();
    }

    @Test
    void lookupFlood_isThrottledWhileAnotherDeviceLooksUpFreely() throws Exception {
        RendezvousServer server = server(RendezvousOptions.defaults(LOOPBACK).withClock(clock).withRequestRate(5, 10));
        Device target = device(server);
        await(target.client().register(List.of(address("10.0.0.3:22000")), Duration.ofMinutes(5)));
        Device flooder = device(server);
        Device neighbour = device(server);

        List<CompletableFuture<Optional<LookupResult>>> flood = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            flood.add(flooder.client().lookup(target.identity().deviceId()));
        }
        int answered = 0;
        List<Throwable> refused = new ArrayList<>();
        for (var f : flood) {
            try {
                assertThat(await(f)).isPresent();
                answered++;
            } catch (ExecutionException e) {
                refused.add(e.getCause());
            }
        }
        List<Optional<LookupResult>> neighbourLookups = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            neighbourLookups.add(await(neighbour.client().lookup(target.identity().deviceId())));
        }

        assertThat(answered).isEqualTo(10);
        assertThat(refused).hasSize(30).allSatisfy(e -> {
            assertThat(e).isInstanceOf(RendezvousRefusedException.class).hasMessageContaining("too many requests");
            assertThat(((RendezvousRefusedException) e).reason()).isEqualTo(Reason.RATE_LIMITED);
        });
        assertThat(neighbourLookups).allSatisfy(r -> assertThat(r).isPresent());
        assertThat(flooder.client().isConnected()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(await(flooder.client().lookup(target.identity().deviceId()))).isPresent();
    }

    @Test
    void requestPunch_deliversOfferWithTheSameStartTimeToBothSides() throws Exception {
        RendezvousServer server = server();
        CompletableFuture<PunchOffer> offered = new CompletableFuture<>();
        Device target = device(server, new RendezvousListener() {
            @Override
            public void punchOffer(PunchOffer offer) {
                offered.complete(offer);
            }
        });
        Device asker = device(server);
        List<InetSocketAddress> candidates = List.of(address("192.168.1.9:22000"), address("198.51.100.4:40000"));

        PunchScheduled scheduled = await(asker.client().requestPunch(target.identity().deviceId(), candidates));
        PunchOffer offer = await(offered);

        assertThat(scheduled.startAt()).isEqualTo(clock.instant().plus(RendezvousOptions.defaults(LOOPBACK).punchDelay()));
        assertThat(offer.startAt()).isEqualTo(scheduled.startAt());
        assertThat(offer.from()).isEqualTo(asker.identity().deviceId());
        assertThat(offer.candidates()).isEqualTo(candidates);
        assertThat(offer.fromObserved()).contains(asker.client().localAddress());
        assertThat(scheduled.targetObserved()).contains(target.client().localAddress());
    }

    @Test
    void requestPunch_targetNotConnected_isRefused() throws Exception {
        RendezvousServer server = server();
        Device asker = device(server);

        Throwable e = failure(asker.client().requestPunch(identity().deviceId(), List.of()));

        assertThat(e).isInstanceOf(RendezvousRefusedException.class);
        assertThat(((RendezvousRefusedException) e).reason()).isEqualTo(Reason.NOT_CONNECTED);
    }

    @Test
    void relayPairingMessage_reachesTheTargetWithTheSendersId() throws Exception {
        RendezvousServer server = server();
        CompletableFuture<String> received = new CompletableFuture<>();
        Device inviter = device(server, new RendezvousListener() {
            @Override
            public void pairingMessage(DeviceId from, byte[] payload) {
                received.complete(from + " " + new String(payload, StandardCharsets.UTF_8));
            }
        });
        Device joiner = device(server);

        await(joiner.client().relayPairingMessage(inviter.identity().deviceId(), "hello".getBytes(StandardCharsets.UTF_8)));

        assertThat(await(received)).isEqualTo(joiner.identity().deviceId() + " hello");
        Throwable tooBig = failure(joiner.client().relayPairingMessage(inviter.identity().deviceId(), new byte[5000]));
        assertThat(((RendezvousRefusedException) tooBig).reason()).isEqualTo(Reason.BAD_REQUEST);
    }

    @Test
    void turnCredentials_followTheTurnRestFormatAndVerifyWithHmac() throws Exception {
        String secret = "coturn-shared-secret";
        RendezvousServer server = server(RendezvousOptions.defaults(LOOPBACK).withClock(clock)
                .withTurn(new RendezvousOptions.Turn("turn:203.0.113.1:3478", secret, Duration.ofHours(2))));
        Device device = device(server);

        TurnCredentials credentials = await(device.client().turnCredentials());

        long expiry = clock.instant().plus(Duration.ofHours(2)).getEpochSecond();
        assertThat(credentials.url()).isEqualTo("turn:203.0.113.1:3478");
        assertThat(credentials.username()).isEqualTo(expiry + ":" + device.identity().deviceId());
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        assertThat(credentials.password()).isEqualTo(Base64.getEncoder()
                .encodeToString(mac.doFinal(credentials.username().getBytes(StandardCharsets.UTF_8))));
        assertThat(credentials.expires()).isEqualTo(Instant.ofEpochSecond(expiry));
        assertThat(credentials.toString()).doesNotContain(credentials.password());
    }

    @Test
    void turnCredentials_withoutTurnServer_areRefused() throws Exception {
        Device device = device(server());

        Throwable e = failure(device.client().turnCredentials());

        assertThat(((RendezvousRefusedException) e).reason()).isEqualTo(Reason.TURN_NOT_CONFIGURED);
    }

    @Test
    void records_expireAfterTheirTtl_andTtlBeyondTheLimitIsRefused() throws Exception {
        RendezvousServer server = server();
        Device a = device(server);
        Device b = device(server);
        await(a.client().register(List.of(address("10.0.0.5:22000")), Duration.ofMinutes(1)));
        assertThat(await(b.client().lookup(a.identity().deviceId()))).isPresent();

        clock.advance(Duration.ofSeconds(61));

        assertThat(await(b.client().lookup(a.identity().deviceId()))).isEmpty();
        assertThat(server.recordCount()).isZero();
        Throwable tooLong = failure(a.client().register(List.of(address("10.0.0.5:22000")), Duration.ofHours(2)));
        assertThat(((RendezvousRefusedException) tooLong).reason()).isEqualTo(Reason.BAD_RECORD);
        assertThatThrownBy(() -> await(a.client().register(List.of(), Duration.ofHours(2)))).hasMessageContaining("PT1H");
    }
}
