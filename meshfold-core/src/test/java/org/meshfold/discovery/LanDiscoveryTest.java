package org.meshfold.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;

/** Real UDP sockets, loopback only: broadcast to 127.255.255.255 or unicast to 127.0.0.1. */
class LanDiscoveryTest {
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    /** Where a forger would like to be dialled. */
    private static final InetSocketAddress EVIL = loopback(6666);

    @TempDir
    static Path keys;
    private static DeviceIdentity alice;
    private static DeviceIdentity bob;
    private static DeviceIdentity mallory;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final int port = freePort();
    private final RecordingListener aliceHeard = new RecordingListener();
    private final RecordingListener bobHeard = new RecordingListener();

    @BeforeAll
    static void identities() throws Exception {
        alice = TestIdentities.create(keys, "alice");
        bob = TestIdentities.create(keys, "bob");
        mallory = TestIdentities.create(keys, "mallory");
        // Load the Ed25519 classes once, so the timed tests measure discovery rather than class loading.
        var codec = new AnnouncementCodec(Clock.systemUTC(), Duration.ofMinutes(5));
        codec.decode(ByteBuffer.wrap(codec.encode(new Announcement(alice.deviceId(), List.of(), 1, Instant.now()), alice)));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        scheduler.shutdownNow();
    }

    private static int freePort() {
        try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET)) {
            probe.bind(new InetSocketAddress(DiscoveryOptions.ipv4(127, 0, 0, 1), 0));
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new AssertionError("no free UDP port on loopback", e);
        }
    }

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(DiscoveryOptions.ipv4(127, 0, 0, 1), port);
    }

    /** Everyone on {@link #port}, announcing by loopback broadcast, as daemons on one machine do. */
    private DiscoveryOptions sharedPort() {
        return DiscoveryOptions.fixed(new InetSocketAddress(DiscoveryOptions.ipv4(0, 0, 0, 0), port),
                List.of(new InetSocketAddress(DiscoveryOptions.ipv4(127, 255, 255, 255), port)));
    }

    private LanDiscovery start(DeviceIdentity who, List<InetSocketAddress> addresses, Predicate<DeviceId> accept,
            DiscoveryListener listener, DiscoveryOptions options) throws IOException {
        LanDiscovery d = LanDiscovery.start(who, addresses, accept, listener, options, Clock.systemUTC(), scheduler);
        open.add(d);
        return d;
    }

    private LanDiscovery start(DeviceIdentity who, int syncPort, RecordingListener listener) throws IOException {
        return start(who, List.of(loopback(syncPort)), id -> true, listener, sharedPort());
    }

    private void sendRaw(byte[] packet) throws IOException {
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            ch.send(ByteBuffer.wrap(packet), loopback(port));
        }
    }

    private static byte[] announce(DeviceIdentity who, Instant issued, InetSocketAddress... addresses) {
        return new AnnouncementCodec(Clock.systemUTC(), Duration.ofMinutes(5))
                .encode(new Announcement(who.deviceId(), List.of(addresses), 42, issued), who);
    }

    @Test
    void start_twoDevicesOnOnePort_findEachOtherWithinOneSecond() throws Exception {
        LanDiscovery a = start(alice, 22001, aliceHeard);
        LanDiscovery b = start(bob, 22002, bobHeard);

        Duration took = Await.until("alice and bob find each other", ONE_SECOND,
                () -> aliceHeard.saw(bob.deviceId()) && bobHeard.saw(alice.deviceId()));

        System.out.println("LAN discovery: two devices found each other in " + took.toMillis() + " ms");
        assertThat(aliceHeard.events).containsExactly(new RecordingListener.Found(bob.deviceId(), List.of(loopback(22002))));
        assertThat(bobHeard.events).containsExactly(new RecordingListener.Found(alice.deviceId(), List.of(loopback(22001))));
        assertThat(a.devices()).containsOnlyKeys(bob.deviceId());
        assertThat(b.devices()).containsOnlyKeys(alice.deviceId());
        assertThat(a.localAddress().getPort()).isEqualTo(b.localAddress().getPort());
    }

    @Test
    void start_peerStartsAfterStartupAnnouncements_foundWithinOneSecond() throws Exception {
        LanDiscovery a = start(alice, 22001, aliceHeard);
        Await.until("alice has sent both startup announcements", () -> a.counters().sent.get() >= 2);

        start(bob, 22002, bobHeard);
        Duration took = Await.until("alice and bob find each other", ONE_SECOND,
                () -> aliceHeard.saw(bob.deviceId()) && bobHeard.saw(alice.deviceId()));

        // Alice's next periodic announcement is 30 s away: bob hears her because she answers a newcomer.
        System.out.println("LAN discovery: a late starter was found in " + took.toMillis() + " ms");
    }

    @Test
    void setAddresses_changed_reportedToPeerOnce() throws Exception {
        start(alice, 22001, aliceHeard);
        LanDiscovery b = start(bob, 22002, bobHeard);
        Await.until("alice finds bob", () -> aliceHeard.saw(bob.deviceId()));

        b.setAddresses(List.of(loopback(23000), loopback(23001)));
        b.setAddresses(List.of(loopback(23000), loopback(23001)));

        Await.until("alice learns bob's new addresses", ONE_SECOND,
                () -> aliceHeard.saw(bob.deviceId(), List.of(loopback(23000), loopback(23001))));
        assertThat(aliceHeard.count(bob.deviceId())).isEqualTo(2);
    }

    @Test
    void start_restartWithSameAddresses_reportedAgain() throws Exception {
        start(alice, 22001, aliceHeard);
        LanDiscovery b = start(bob, 22002, bobHeard);
        Await.until("alice finds bob", () -> aliceHeard.saw(bob.deviceId()));

        b.close();
        start(bob, 22002, bobHeard);

        Await.until("alice notices bob's restart", ONE_SECOND, () -> aliceHeard.count(bob.deviceId()) == 2);
    }

    @Test
    void found_unspecifiedHost_replacedBySourceAddress() throws Exception {
        var anyHost = new InetSocketAddress(DiscoveryOptions.ipv4(0, 0, 0, 0), 22002);
        start(alice, 22001, aliceHeard);
        start(bob, List.of(anyHost), id -> true, bobHeard, sharedPort());

        Await.until("alice finds bob at his source address", () -> aliceHeard.saw(bob.deviceId(), List.of(loopback(22002))));
    }

    @Test
    void receive_forgedPackets_neverReachListener() throws Exception {
        LanDiscovery a = start(alice, 22001, aliceHeard);
        byte[] badSignature = announce(bob, Instant.now(), loopback(22002));
        badSignature[90] = 66; // the address, 127.0.0.1 -> 127.0.0.66
        byte[] wrongKey = announce(mallory, Instant.now(), EVIL);
        System.arraycopy(bob.deviceId().bytes(), 0, wrongKey, 37, DeviceId.LENGTH);
        AnnouncementCodecTest.resign(wrongKey, mallory);
        byte[] stale = announce(bob, Instant.now().minus(Duration.ofMinutes(10)), EVIL);
        byte[] oversized = Arrays.copyOf(announce(bob, Instant.now(), EVIL), 1300);

        for (byte[] forged : List.of(badSignature, wrongKey, stale, oversized)) {
            sendRaw(forged);
        }
        Await.until("alice rejects all four", () -> a.counters().rejected.get() == 4);
        sendRaw(announce(bob, Instant.now(), loopback(22002)));

        Await.until("alice accepts bob's genuine announcement", () -> aliceHeard.saw(bob.deviceId()));
        assertThat(aliceHeard.events).containsExactly(new RecordingListener.Found(bob.deviceId(), List.of(loopback(22002))));
    }

    @Test
    void receive_replayOfAcceptedAnnouncement_notReportedAgain() throws Exception {
        LanDiscovery a = start(alice, 22001, aliceHeard);
        byte[] genuine = announce(bob, Instant.now(), loopback(22002));
        byte[] older = announce(bob, Instant.now().minusSeconds(1), EVIL);
        sendRaw(genuine);
        Await.until("alice finds bob", () -> aliceHeard.saw(bob.deviceId()));

        sendRaw(genuine);
        sendRaw(older);

        Await.until("alice has checked both replays", () -> a.counters().accepted.get() == 3);
        assertThat(aliceHeard.events).hasSize(1);
        assertThat(a.devices().get(bob.deviceId())).containsExactly(loopback(22002));
    }

    @Test
    void receive_ownAnnouncements_ignored() throws Exception {
        LanDiscovery a = start(alice, 22001, aliceHeard);

        Await.until("alice hears her two startup announcements", () -> a.counters().own.get() == 2);
        assertThat(aliceHeard.events).isEmpty();
        assertThat(a.devices()).isEmpty();
    }

    @Test
    void receive_unpairedDevice_filtered() throws Exception {
        LanDiscovery a = start(alice, List.of(loopback(22001)), mallory.deviceId()::equals, aliceHeard, sharedPort());
        start(bob, 22002, bobHeard);

        Await.until("bob finds alice", () -> bobHeard.saw(alice.deviceId()));
        Await.until("alice drops bob's announcements", () -> a.counters().filtered.get() >= 1);
        assertThat(aliceHeard.events).isEmpty();
        assertThat(a.devices()).isEmpty();
    }

    @Test
    void start_unicastOnDistinctPorts_findEachOther() throws Exception {
        int otherPort = freePort();
        start(alice, List.of(loopback(22001)), id -> true, aliceHeard,
                DiscoveryOptions.fixed(loopback(port), List.of(loopback(otherPort))));
        start(bob, List.of(loopback(22002)), id -> true, bobHeard,
                DiscoveryOptions.fixed(loopback(otherPort), List.of(loopback(port))));

        Await.until("alice and bob find each other", ONE_SECOND,
                () -> aliceHeard.saw(bob.deviceId()) && bobHeard.saw(alice.deviceId()));
    }

    @Test
    void start_portHeldWithoutReusePort_failsNamingThePort() throws Exception {
        try (DatagramChannel squatter = DatagramChannel.open(StandardProtocolFamily.INET)) {
            squatter.bind(loopback(port));

            assertThatThrownBy(() -> start(alice, 22001, aliceHeard)).isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot listen for LAN discovery").hasMessageContaining(":" + port);
        }
    }

    @Test
    void close_stopsListening() throws Exception {
        LanDiscovery a = start(alice, 22001, aliceHeard);
        a.close();

        assertThatThrownBy(a::localAddress).isInstanceOf(IllegalStateException.class);
        try (DatagramChannel rebind = DatagramChannel.open(StandardProtocolFamily.INET)) {
            rebind.bind(new InetSocketAddress(DiscoveryOptions.ipv4(0, 0, 0, 0), port));
        }
    }
}
