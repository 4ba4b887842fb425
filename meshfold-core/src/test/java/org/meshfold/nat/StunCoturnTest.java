package org.meshfold.nat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** StunClient on a real UDP socket against a real coturn on 127.0.0.1. */
class StunCoturnTest {
    @TempDir
    static Path dir;
    private static Coturn coturn;

    @BeforeAll
    static void startCoturn() throws Exception {
        coturn = Coturn.withUser(dir, "u", "p");
    }

    @AfterAll
    static void stopCoturn() throws Exception {
        if (coturn != null) {
            coturn.close();
        }
    }

    @Test
    void reflexiveAddress_coturnAndADeadServer_ourLoopbackAddress() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        StunClient[] client = new StunClient[1];
        try (UdpDatagramSocket socket = UdpDatagramSocket.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                Thread.ofPlatform().daemon().factory(), (d, s) -> client[0].onDatagram(d, s))) {
            client[0] = new StunClient(socket, scheduler, new StunRetransmission(Duration.ofMillis(100), 4, 4),
                    new SecureRandom());
            InetSocketAddress dead = new InetSocketAddress(InetAddress.getLoopbackAddress(), Coturn.freePort());

            InetSocketAddress reflexive = client[0].reflexiveAddress(List.of(dead, coturn.address()))
                    .get(10, TimeUnit.SECONDS);

            assertThat(reflexive).isEqualTo(socket.localAddress());
            assertThat(client[0].bind(coturn.address()).get(10, TimeUnit.SECONDS)).isEqualTo(socket.localAddress());
        } finally {
            scheduler.shutdownNow();
        }
    }
}
