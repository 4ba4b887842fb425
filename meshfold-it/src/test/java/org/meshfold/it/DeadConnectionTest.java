package org.meshfold.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.daemon.NodeStatus;

/**
 * A trusted device completes the handshake with a real running device and then goes silent: its
 * TCP connection stays up (the kernel still acknowledges), but it answers no Ping. The running
 * device must close the connection after three unanswered keepalive pings, about 20 s after the
 * peer last sent anything, long before TCP would give up; an honest device, idle all that time,
 * must keep its connection.
 */
class DeadConnectionTest {
    /** Keepalive pings every 5 s of silence; the fourth interval without an answer ends it. */
    private static final Duration EXPECTED = Duration.ofSeconds(20);

    @Test
    void silentPeer_closedAsDeadAfterThreeMissedPongs_idleHonestPeerStays(@TempDir Path tmp) {
        try (TestDevice victim = new TestDevice("victim", tmp); TestDevice honest = new TestDevice("honest", tmp);
             TestDevice silent = new TestDevice("silent", tmp)) {
            victim.pairWith(honest, silent);
            honest.pairWith(victim);
            victim.start();
            honest.start();
            Await.until("the honest device to connect", Duration.ofSeconds(20),
                    () -> victim.connectedTo(honest) && honest.connectedTo(victim));
            String honestSince = device(victim, honest).connectedSince();

            try (RawPeer raw = RawPeer.dial(silent.home, victim).establish(TestDevice.FOLDER, 1)) {
                long lastSent = System.nanoTime();
                Await.until("the victim to report the silent device connected", Duration.ofSeconds(10),
                        () -> victim.connectedTo(silent));

                raw.awaitClosed(EXPECTED.plusSeconds(15));
                Duration detected = Duration.ofNanos(System.nanoTime() - lastSent);

                System.out.printf("dead connection detected %d ms after the peer's last frame%n", detected.toMillis());
                assertThat(detected).isBetween(EXPECTED, EXPECTED.plusSeconds(3));
                assertThat(raw.closeReason()).contains("3 pings unanswered: the connection is dead");
                assertThat(raw.received().stream().filter(e -> e.getType() == RawPeer.PING).count())
                        .as("the round-trip Ping and three keepalives").isGreaterThanOrEqualTo(4);
                Await.until("the victim to drop the silent device", Duration.ofSeconds(5),
                        () -> !victim.connectedTo(silent));
                assertThat(device(victim, silent).quality()).isEqualTo("disconnected");
            }
            NodeStatus.Device stayed = device(victim, honest);
            assertThat(stayed.connected()).isTrue();
            assertThat(stayed.connectedSince()).as("the same connection all along").isEqualTo(honestSince);
            assertThat(stayed.quality()).isIn("excellent", "good"); // good only if a cold JVM slowed early pings
        }
    }

    private static NodeStatus.Device device(TestDevice at, TestDevice which) {
        return at.snapshot().devices().stream().filter(d -> d.id().equals(which.id.toString())).findFirst()
                .orElseThrow();
    }
}
