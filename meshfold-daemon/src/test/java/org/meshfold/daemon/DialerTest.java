package org.meshfold.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.meshfold.config.PeerConfig;
import org.meshfold.identity.DeviceId;
import org.meshfold.index.FileRecord;
import org.meshfold.replication.BlockRequest;
import org.meshfold.replication.ClusterConfig;
import org.meshfold.replication.Peer;

/** Dial attempts on simulated time: a {@link ManualScheduler} drives the dialer's ticks and its backoff. */
class DialerTest {
    private static final DeviceId PEER = DeviceId.of(new byte[32]);
    private static final InetSocketAddress CONFIGURED = new InetSocketAddress("192.0.2.1", 22000);
    private static final long SECOND = 1_000_000_000L;
    private static final long TICK = Dialer.TICK.toNanos();

    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeNetwork network = new FakeNetwork();
    private final Random random = new Random(42);
    private final Dialer dialer = new Dialer(network, () -> List.of(new PeerConfig(PEER, "peer", List.of(CONFIGURED))),
            id -> true, scheduler, scheduler::nanoTime, new Backoff<>(Backoff.FIRST, Backoff.MAX, Backoff.JITTER,
                    Backoff.STABLE, random::nextDouble));

    @AfterEach
    void stop() {
        dialer.close();
    }

    @Test
    void tick_peerDownForAnHour_retriedWithCappedBackoffNeverMoreThanOnceAMinute() {
        long start = scheduler.nanoTime();
        dialer.start();

        scheduler.advance(Duration.ofHours(1));

        List<Long> times = network.attemptTimes();
        assertThat(times.getFirst()).isEqualTo(start);
        List<Long> gaps = gaps(times);
        for (int i = 0; i < 6; i++) { // 1 s, 2 s, … 32 s, each stretched by up to 20 %, plus up to a tick
            long nominal = (1L << i) * SECOND;
            assertThat(gaps.get(i)).as("gap %d", i + 1).isBetween(nominal, (long) (nominal * 1.2) + TICK);
        }
        assertThat(gaps.subList(6, gaps.size())).as("at the cap")
                .allSatisfy(g -> assertThat(g).isBetween(60 * SECOND, 60 * SECOND + TICK));
        assertThat(times).as("attempts in the hour").hasSizeBetween(60, 66);
        assertThat(start + Duration.ofHours(1).toNanos() - times.getLast()).isLessThanOrEqualTo(60 * SECOND + TICK);
        assertThat(dialer.retry(PEER)).hasValueSatisfying(r -> {
            assertThat(r.attempts()).isEqualTo(times.size());
            assertThat(r.untilNext()).isLessThanOrEqualTo(Duration.ofSeconds(60));
        });
    }

    @Test
    void tick_lastingConnectionLost_dialedAtOnceThenBackingOffFromOneSecond() {
        dialer.start();
        scheduler.advance(Duration.ofMinutes(10)); // down: at the cap by now
        network.up = true;
        scheduler.advance(Duration.ofSeconds(61)); // the next capped attempt connects
        assertThat(network.connected(PEER)).isPresent();
        assertThat(dialer.retry(PEER)).isEmpty();
        scheduler.advance(Duration.ofSeconds(30));
        int before = network.attempts.size();

        network.up = false;
        network.peer = null;
        long lost = scheduler.nanoTime();
        scheduler.advance(Duration.ofSeconds(5));

        List<Long> after = network.attemptTimes().subList(before, network.attempts.size());
        assertThat(after).hasSize(3); // at once, after 1 s, after 2 s more
        assertThat(after.get(0) - lost).isLessThanOrEqualTo(TICK);
        assertThat(gaps(after)).satisfiesExactly(
                g -> assertThat(g).isBetween(SECOND, (long) (1.2 * SECOND) + TICK),
                g -> assertThat(g).isBetween(2 * SECOND, (long) (2.4 * SECOND) + TICK));
    }

    @Test
    void tick_connectionsDroppedAtOnce_backoffKeepsGrowing() {
        dialer.start();
        network.up = true;
        network.dropAfterConnect = true; // up until the dialer has seen it once, then gone

        scheduler.advance(Duration.ofMinutes(5));

        List<Long> gaps = gaps(network.attemptTimes());
        assertThat(gaps).hasSizeGreaterThanOrEqualTo(6);
        assertThat(gaps.get(5)).isGreaterThanOrEqualTo(32 * SECOND);
        assertThat(network.attempts).hasSizeLessThan(12);
    }

    @Test
    void wake_atTheCap_dialsAtOnceAndStartsTheBackoffOver() {
        dialer.start();
        scheduler.advance(Duration.ofMinutes(10));
        int before = network.attempts.size();
        long woken = scheduler.nanoTime();

        dialer.wake(PEER);
        scheduler.runDue();

        assertThat(network.attempts).hasSize(before + 1);
        assertThat(network.attemptTimes().getLast()).isEqualTo(woken);
        assertThat(dialer.retry(PEER)).hasValueSatisfying(r -> assertThat(r.attempts()).isEqualTo(1));
        scheduler.advance(Duration.ofMillis(1500));
        assertThat(network.attempts).hasSize(before + 2);
    }

    @Test
    void discovered_dialsTheFoundAddressFirstAtOnce() {
        InetSocketAddress lan = new InetSocketAddress("10.0.0.7", 22000);
        dialer.start();
        scheduler.advance(Duration.ofMinutes(10));
        int before = network.attempts.size();

        dialer.discovered(PEER, List.of(lan));
        scheduler.runDue();

        assertThat(network.attempts.subList(before, network.attempts.size())).extracting(Attempt::address)
                .containsExactly(lan, CONFIGURED);
    }

    private static List<Long> gaps(List<Long> times) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            gaps.add(times.get(i) - times.get(i - 1));
        }
        return gaps;
    }

    private record Attempt(long at, InetSocketAddress address) {
    }

    /** Refuses every dial while the peer is down; while it is up, the first dial of an attempt connects. */
    private final class FakeNetwork implements Dialer.Network {
        final List<Attempt> attempts = new CopyOnWriteArrayList<>();
        volatile boolean up;
        volatile boolean dropAfterConnect;
        volatile Peer peer;
        private boolean seenOnce;

        /** When each attempt started: its first dial, the configured address. */
        List<Long> attemptTimes() {
            return attempts.stream().filter(a -> a.address().equals(CONFIGURED)).map(Attempt::at).toList();
        }

        @Override
        public CompletableFuture<Peer> connect(DeviceId device, InetSocketAddress address) {
            attempts.add(new Attempt(scheduler.nanoTime(), address));
            if (!up) {
                return CompletableFuture.failedFuture(new IOException("connection refused: " + address));
            }
            peer = new FakePeer(device);
            seenOnce = false;
            return CompletableFuture.completedFuture(peer);
        }

        @Override
        public Optional<Peer> connected(DeviceId device) {
            Optional<Peer> now = Optional.ofNullable(peer);
            if (dropAfterConnect && peer != null) {
                if (seenOnce) {
                    peer = null;
                    return Optional.empty();
                }
                seenOnce = true;
            }
            return now;
        }
    }

    private record FakePeer(DeviceId deviceId) implements Peer {
        @Override
        public String describePath() {
            return "lan tcp 192.0.2.1:22000";
        }

        @Override
        public void sendClusterConfig(ClusterConfig config) {
        }

        @Override
        public void sendIndex(String folderId, List<FileRecord> records) {
        }

        @Override
        public CompletableFuture<byte[]> request(BlockRequest request) {
            return CompletableFuture.failedFuture(new IOException("not a real peer"));
        }

        @Override
        public void close(String reason) {
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    }
}
