package org.meshfold.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.clock.ManualClock;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.pairing.Invite;
import org.meshfold.pairing.InviteRejectedException;
import org.meshfold.pairing.PairingFailedException;
import org.meshfold.pairing.PairingFailedException.Reason;
import org.meshfold.pairing.PairingOutcome;
import org.meshfold.pairing.PairingResponder;
import org.meshfold.pairing.PendingInvites;
import org.meshfold.protocol.codec.WireCodec;
import org.meshfold.replication.BlockRequest;
import org.meshfold.replication.Peer;
import org.meshfold.transport.TcpTlsTransport;

/** Pairing over real loopback sockets: alice invites, carol and dave join, bob is already paired. */
class PeerNetworkPairingTest extends NetworkFixture {
    static DeviceIdentity dave;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-14T09:30:00Z").toEpochMilli());
    private final RecordingListener aliceEvents = new RecordingListener();
    /** Alice's paired devices; her responder adds each accepted joiner, as the daemon does. */
    private final Set<DeviceId> alicePaired = ConcurrentHashMap.newKeySet();
    private PendingInvites invites;
    private RecordingResponder responder;

    PeerNetworkPairingTest() {
        super(TcpTlsTransport::create);
    }

    @BeforeAll
    static void daveIdentity(@TempDir Path tmp) throws Exception {
        dave = DeviceIdentity.loadOrCreate(tmp.resolve("dave"));
    }

    @Test
    void pair_rightCode_bothSidesRecordEachOtherAndSyncFollows() throws Exception {
        PeerNetwork a = startAlice(Timeouts.DEFAULT);
        Invite invite = invite(a, "photos", "Fotos 2026", Duration.ofMinutes(10));
        RecordingListener carolEvents = new RecordingListener();
        PeerNetwork c = start(carol, carolEvents, alice.deviceId()::equals, Timeouts.DEFAULT);

        PairingOutcome outcome = c.pair(invite, "carol's laptop").get(10, TimeUnit.SECONDS);

        assertThat(outcome).isEqualTo(new PairingOutcome(alice.deviceId(), "photos", "Fotos 2026", a.listenAddress()));
        assertThat(responder.joined).containsExactly(new Joined(carol.deviceId(), "carol's laptop", invite));
        assertThat(invites.hasOpen()).isFalse();
        assertThat(aliceEvents.connected).isEmpty();
        assertThat(carolEvents.connected).isEmpty();

        Peer carolToAlice = c.connect(alice.deviceId(), outcome.address()).get(10, TimeUnit.SECONDS);

        assertThat(carolToAlice.isOpen()).isTrue();
        Await.until("alice sees carol connected", () -> aliceEvents.sawConnected(carol.deviceId()));
    }

    @Test
    void pair_secondUseOfTheCode_refusedAsAlreadyUsed() throws Exception {
        PeerNetwork a = startAlice(Timeouts.DEFAULT);
        Invite invite = invite(a, "photos", "Photos", Duration.ofMinutes(10));
        invite(a, "music", "Music", Duration.ofMinutes(10)); // keeps alice accepting joiners
        joiner(carol).pair(invite, "carol").get(10, TimeUnit.SECONDS);

        CompletableFuture<PairingOutcome> second = joiner(dave).pair(invite, "dave");

        assertPairingFails(second, Reason.REFUSED, "already used by another device", "meshfold invite");
        assertThat(responder.rejected).containsExactly(InviteRejectedException.Reason.ALREADY_USED);
        assertThat(responder.joined).extracting(Joined::joiner).containsExactly(carol.deviceId());
        assertThat(alicePaired).containsExactly(carol.deviceId());
    }

    @Test
    void pair_expiredCode_refusedAsExpired() throws Exception {
        PeerNetwork a = startAlice(Timeouts.DEFAULT);
        Invite shortLived = invite(a, "photos", "Photos", Duration.ofMinutes(1));
        invite(a, "music", "Music", Duration.ofMinutes(10));
        clock.counter().addAndGet(Duration.ofMinutes(2).toMillis());

        CompletableFuture<PairingOutcome> attempt = joiner(carol).pair(shortLived, "carol");

        assertPairingFails(attempt, Reason.REFUSED, "expired at " + shortLived.expiry());
        assertThat(responder.rejected).containsExactly(InviteRejectedException.Reason.EXPIRED);
        assertThat(alicePaired).isEmpty();
    }

    @Test
    void pair_tamperedSecret_refusedAndTheInviteStaysOpen() throws Exception {
        PeerNetwork a = startAlice(Timeouts.DEFAULT);
        Invite invite = invite(a, "photos", "Photos", Duration.ofMinutes(10));
        byte[] secret = invite.secret();
        secret[3] ^= 1;
        Invite tampered = new Invite(invite.inviter(), invite.folderId(), invite.folderLabel(), invite.addresses(),
                invite.rendezvousUrls(), secret, invite.expiry());

        CompletableFuture<PairingOutcome> attempt = joiner(carol).pair(tampered, "carol");

        assertPairingFails(attempt, Reason.REFUSED, "no open invite to folder 'photos' for this code");
        assertThat(responder.rejected).containsExactly(InviteRejectedException.Reason.UNKNOWN);
        assertThat(alicePaired).isEmpty();
        assertThat(invites.hasOpen()).isTrue();
    }

    @Test
    void pair_noOpenInvite_refusedInTheHandshake() throws Exception {
        PeerNetwork a = startAlice(Timeouts.DEFAULT);
        Invite invite = invite(a, "photos", "Photos", Duration.ofMinutes(1));
        clock.counter().addAndGet(Duration.ofMinutes(2).toMillis());

        CompletableFuture<PairingOutcome> attempt = joiner(carol).pair(invite, "carol");

        assertPairingFails(attempt, Reason.NOT_ACCEPTING, "did not accept this device: it has no open invite now");
        assertThat(responder.redeemCalls).isZero();
        assertThat(aliceEvents.connected).isEmpty();
        assertThat(aliceEvents.disconnected).isEmpty();
    }

    @Test
    void pairingOnly_helloOrIndex_closedWithReasonAndNeverReported() throws Exception {
        PeerNetwork a = startAlice(Timeouts.DEFAULT);
        invite(a, "photos", "Photos", Duration.ofMinutes(10));

        try (HostilePeer hello = new HostilePeer(carol, alice, a.listenAddress());
             HostilePeer index = new HostilePeer(dave, alice, a.listenAddress())) {
            hello.sayHello();
            index.send(new Message.IndexUpdate("photos", List.of(SampleRecords.file("secret.txt", 1))));

            Await.until("both pairing-only connections are closed", () -> hello.isClosed() && index.isClosed());
            assertThat(hello.closeReason()).isEqualTo(
                    "pairing-only connection: Hello is not accepted from a device that is not paired");
            assertThat(index.closeReason()).isEqualTo(
                    "pairing-only connection: IndexUpdate is not accepted from a device that is not paired");
            assertThat(hello.received).hasSize(1);
        }
        assertThat(aliceEvents.connected).isEmpty();
        assertThat(aliceEvents.indexes).isEmpty();
        assertThat(aliceEvents.disconnected).isEmpty();
        assertThat(a.connected(carol.deviceId())).isEmpty();
    }

    @Test
    void pairingOnly_betweenPairedDevicesPairMessagesStayRefused() throws Exception {
        alicePaired.add(bob.deviceId());
        PeerNetwork a = startAlice(Timeouts.DEFAULT);
        invite(a, "photos", "Photos", Duration.ofMinutes(10));

        try (HostilePeer paired = new HostilePeer(bob, alice, a.listenAddress())) {
            paired.send(new Message.PairRequest("photos", new byte[32], "bob"));

            Await.until("the connection is closed", paired::isClosed);
            assertThat(paired.closeReason()).isEqualTo("PairRequest before Hello");
        }
        assertThat(responder.redeemCalls).isZero();
        assertThat(invites.hasOpen()).isTrue();
    }

    @Test
    void pair_alreadyPairedJoiner_toldToShareTheFolderInstead() throws Exception {
        alicePaired.add(carol.deviceId());
        PeerNetwork a = startAlice(Timeouts.DEFAULT);
        Invite invite = invite(a, "photos", "Photos", Duration.ofMinutes(10));

        CompletableFuture<PairingOutcome> attempt = joiner(carol).pair(invite, "carol");

        assertPairingFails(attempt, Reason.ALREADY_PAIRED, "already paired with the inviting device",
                "share folder 'photos' with this device");
        assertThat(responder.redeemCalls).isZero();
        assertThat(invites.hasOpen()).isTrue();
    }

    @Test
    void pair_inviterNeverAnswers_failsAfterThePairingTimeout() throws Exception {
        // A TLS endpoint with alice's key that reads and never answers.
        TcpTlsTransport mute = closedAfterTest(TcpTlsTransport.create(alice, d -> true));
        InetSocketAddress address = mute.listen(new InetSocketAddress("127.0.0.1", 0),
                ch -> WireCodec.addTo(ch.pipeline(), WireCodec.MAX_FRAME_BYTES));
        Invite invite = new Invite(alice.deviceId(), "photos", "Photos", List.of(address), List.of(),
                new byte[Invite.SECRET_BYTES], clock.instant().plusSeconds(600));
        PeerNetwork c = start(carol, new RecordingListener(), d -> true, new Timeouts(Duration.ofSeconds(30),
                Duration.ofSeconds(90), Duration.ofSeconds(20), Duration.ofMillis(300)));

        CompletableFuture<PairingOutcome> attempt = c.pair(invite, "carol");

        assertPairingFails(attempt, Reason.TIMEOUT, "the inviting device at 127.0.0.1:" + address.getPort()
                + " did not finish pairing within 0.3 s");
    }

    @Test
    void pairingOnly_silentJoiner_closedAfterTheTimeout() throws Exception {
        Timeouts quickPairing = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(90), Duration.ofSeconds(20),
                Duration.ofMillis(300));
        PeerNetwork a = startAlice(quickPairing);
        invite(a, "photos", "Photos", Duration.ofMinutes(10));

        try (HostilePeer silent = new HostilePeer(carol, alice, a.listenAddress())) {
            long start = System.nanoTime();
            Await.until("the silent connection is closed", Duration.ofSeconds(5), silent::isClosed);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            assertThat(silent.closeReason()).isEqualTo("pairing did not complete within 0.3 s");
        }
        assertThat(aliceEvents.connected).isEmpty();
    }

    @Test
    void pair_otherDeviceAnswersAtTheAddress_failsAsWrongDevice() throws Exception {
        PeerNetwork b = start(bob, new RecordingListener(), d -> true, Timeouts.DEFAULT);
        Invite claimsAlice = new Invite(alice.deviceId(), "photos", "Photos", List.of(b.listenAddress()), List.of(),
                new byte[Invite.SECRET_BYTES], clock.instant().plusSeconds(600));

        CompletableFuture<PairingOutcome> attempt = joiner(carol).pair(claimsAlice, "carol");

        assertPairingFails(attempt, Reason.WRONG_DEVICE, "another device answered at 127.0.0.1:"
                + b.listenAddress().getPort() + ": device " + bob.deviceId().shortText()
                + " instead of the inviting device " + alice.deviceId().shortText());
    }

    @Test
    void pair_nobodyListening_failsAsUnreachable() throws Exception {
        InetSocketAddress nobody = closedPort();
        Invite invite = new Invite(alice.deviceId(), "photos", "Photos", List.of(nobody), List.of(),
                new byte[Invite.SECRET_BYTES], clock.instant().plusSeconds(600));

        CompletableFuture<PairingOutcome> attempt = joiner(carol).pair(invite, "carol");

        assertPairingFails(attempt, Reason.UNREACHABLE, "could not reach the inviting device at 127.0.0.1:"
                + nobody.getPort(), "is `meshfold run` or `meshfold invite` running there?");
    }

    @Test
    void pair_severalAddresses_theInvitersAddressWins() throws Exception {
        PeerNetwork a = startAlice(Timeouts.DEFAULT);
        PeerNetwork b = start(bob, new RecordingListener(), d -> true, Timeouts.DEFAULT);
        Invite real = invite(a, "photos", "Photos", Duration.ofMinutes(10));
        Invite withStaleAddresses = new Invite(real.inviter(), real.folderId(), real.folderLabel(),
                List.of(closedPort(), b.listenAddress(), a.listenAddress()), List.of(), real.secret(), real.expiry());

        PairingOutcome outcome = joiner(carol).pair(withStaleAddresses, "carol").get(10, TimeUnit.SECONDS);

        assertThat(outcome.address()).isEqualTo(a.listenAddress());
        assertThat(alicePaired).containsExactly(carol.deviceId());
    }

    @Test
    void pair_whileAPairedDeviceSyncs_itsConnectionKeepsWorking() throws Exception {
        alicePaired.add(bob.deviceId());
        PeerNetwork a = startAlice(Timeouts.DEFAULT);
        PeerNetwork b = start(bob, new RecordingListener(), alice.deviceId()::equals, Timeouts.DEFAULT);
        Invite invite = invite(a, "photos", "Photos", Duration.ofMinutes(10));
        Peer bobToAlice = b.connect(alice.deviceId(), a.listenAddress()).get(10, TimeUnit.SECONDS);

        joiner(carol).pair(invite, "carol").get(10, TimeUnit.SECONDS);
        byte[] block = bobToAlice.request(new BlockRequest("photos", "a", 0, 10, SampleRecords.hash(1)))
                .get(10, TimeUnit.SECONDS);

        assertThat(block).hasSize(10);
        assertThat(bobToAlice.isOpen()).isTrue();
        assertThat(aliceEvents.connected).extracting(Peer::deviceId).containsExactly(bob.deviceId());
        assertThat(aliceEvents.disconnected).isEmpty();
    }

    // ---- set-up ----

    private PeerNetwork startAlice(Timeouts timeouts) {
        invites = new PendingInvites(alice.deviceId(), clock, new SecureRandom());
        responder = new RecordingResponder(PairingResponder.of(invites, (joiner, name, invite) -> alicePaired.add(joiner)));
        return start(new NetworkOptions(alice, new InetSocketAddress("127.0.0.1", 0), alicePaired::contains,
                aliceEvents).withPairing(responder), timeouts);
    }

    private Invite invite(PeerNetwork inviter, String folder, String label, Duration ttl) {
        return invites.create(folder, label, List.of(inviter.listenAddress()), List.of(), ttl);
    }

    private PeerNetwork joiner(DeviceIdentity identity) {
        return start(identity, new RecordingListener(), alice.deviceId()::equals, Timeouts.DEFAULT);
    }

    private static InetSocketAddress closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), s.getLocalPort());
        }
    }

    private static void assertPairingFails(CompletableFuture<PairingOutcome> attempt, Reason reason,
            String... messageParts) {
        assertThatThrownBy(() -> attempt.get(15, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        Throwable error = attempt.exceptionNow();
        assertThat(error).isInstanceOf(PairingFailedException.class);
        assertThat(((PairingFailedException) error).reason()).as(error.getMessage()).isEqualTo(reason);
        assertThat(error.getMessage()).contains(messageParts);
    }

    record Joined(DeviceId joiner, String name, Invite invite) {
    }

    /** Alice's responder, recording what the network asked of it. */
    private static final class RecordingResponder implements PairingResponder {
        final PairingResponder delegate;
        final List<Joined> joined = new CopyOnWriteArrayList<>();
        final List<InviteRejectedException.Reason> rejected = new CopyOnWriteArrayList<>();
        volatile int redeemCalls;

        RecordingResponder(PairingResponder delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean acceptingJoiners() {
            return delegate.acceptingJoiners();
        }

        @Override
        public Invite redeem(String folderId, DeviceId joiner, byte[] inviterNonce, byte[] joinerNonce, byte[] proof)
                throws InviteRejectedException {
            redeemCalls++;
            try {
                return delegate.redeem(folderId, joiner, inviterNonce, joinerNonce, proof);
            } catch (InviteRejectedException e) {
                rejected.add(e.reason());
                throw e;
            }
        }

        @Override
        public void paired(DeviceId joiner, String joinerName, Invite invite) {
            joined.add(new Joined(joiner, joinerName, invite));
            delegate.paired(joiner, joinerName, invite);
        }
    }
}
