package org.meshfold.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.rendezvous.RendezvousOptions;
import org.meshfold.rendezvous.RendezvousServer;

/** Two devices' sessions with a real rendezvous server on loopback. */
class RendezvousSessionsTest {
    private static final Duration LOOKUPS = Duration.ofMillis(200);
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path base;

    private RendezvousServer server;
    private ScheduledExecutorService scheduler;
    private DeviceIdentity a;
    private DeviceIdentity b;

    @BeforeEach
    void start() throws Exception {
        server = RendezvousServer.start(DeviceIdentity.loadOrCreate(base.resolve("server")),
                RendezvousOptions.defaults(new InetSocketAddress("127.0.0.1", 0)));
        scheduler = Executors.newSingleThreadScheduledExecutor();
        a = DeviceIdentity.loadOrCreate(base.resolve("a"));
        b = DeviceIdentity.loadOrCreate(base.resolve("b"));
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        server.close();
    }

    @Test
    void lookup_peerMovesToANewPort_newAddressIsHandedOverAgain() {
        AtomicReference<List<InetSocketAddress>> bListens = new AtomicReference<>(List.of(loopback(40001)));
        Map<DeviceId, List<InetSocketAddress>> found = new ConcurrentHashMap<>();
        try (RendezvousSessions bSessions = sessions(b, bListens::get, List.of(), (d, addresses) -> { });
             RendezvousSessions aSessions = sessions(a, () -> List.of(loopback(40000)), List.of(b.deviceId()),
                     found::put)) {
            bSessions.start();
            aSessions.start();
            await("a to find b at its first port", () -> List.of(loopback(40001)).equals(found.get(b.deviceId())));

            bListens.set(List.of(loopback(40002)));

            await("a to find b at its new port", () -> List.of(loopback(40002)).equals(found.get(b.deviceId())));
            assertThat(aSessions.states()).singleElement().satisfies(s -> {
                assertThat(s.connected()).isTrue();
                assertThat(s.observed().getAddress().isLoopbackAddress()).isTrue();
            });
        }
    }

    @Test
    void start_serverDown_reportsDisconnectedThenConnectsWhenItComesUp() throws Exception {
        InetSocketAddress address = server.address();
        var url = server.url();
        server.close();
        try (RendezvousSessions aSessions = new RendezvousSessions(a, List.of(url), () -> List.of(loopback(40000)),
                List::of, (d, x) -> { }, LOOKUPS, Clock.systemUTC(), scheduler)) {
            aSessions.start();
            assertThat(aSessions.states()).singleElement().satisfies(s -> assertThat(s.connected()).isFalse());

            server = RendezvousServer.start(DeviceIdentity.loadOrCreate(base.resolve("server")),
                    RendezvousOptions.defaults(address));

            await("a to connect once the server is up", () -> aSessions.states().getFirst().connected());
            await("a to register", () -> server.recordCount() == 1);
        }
    }

    @Test
    void networkChanged_openSession_reopenedAtOnceFromANewConnection() {
        try (RendezvousSessions aSessions = sessions(a, () -> List.of(loopback(40000)), List.of(), (d, x) -> { })) {
            aSessions.start();
            await("a to connect", () -> aSessions.states().getFirst().connected());
            InetSocketAddress first = aSessions.states().getFirst().observed();

            aSessions.networkChanged();

            await("a's session to come from a new connection", () -> {
                RendezvousSessions.State s = aSessions.states().getFirst();
                return s.connected() && !first.equals(s.observed());
            });
        }
    }

    @Test
    void withReflexive_addsEachListenPortAtTheObservedAddress() throws Exception {
        InetSocketAddress observed = new InetSocketAddress("203.0.113.7", 51000);
        List<InetSocketAddress> listen = List.of(new InetSocketAddress("192.168.1.5", 22000));

        assertThat(RendezvousSessions.withReflexive(listen, observed))
                .containsExactly(new InetSocketAddress("192.168.1.5", 22000), new InetSocketAddress("203.0.113.7", 22000));
    }

    private RendezvousSessions sessions(DeviceIdentity who, java.util.function.Supplier<List<InetSocketAddress>> listen,
            List<DeviceId> sought, java.util.function.BiConsumer<DeviceId, List<InetSocketAddress>> found) {
        return new RendezvousSessions(who, List.of(server.url()), listen, () -> sought, found, LOOKUPS,
                Clock.systemUTC(), scheduler);
    }

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + DEADLINE + " waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
