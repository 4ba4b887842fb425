package org.meshfold.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.config.DiscoveryConfig;

/**
 * Paired devices with no configured addresses find each other by LAN discovery, here on
 * loopback only: every device listens on one shared UDP port and announces to the loopback
 * broadcast address, as daemons on one machine would on a LAN.
 */
class LanDiscoverySyncTest {
    /** DESIGN §8: a paired device on the LAN is found within about a second; connecting adds a TLS handshake. */
    private static final Duration FOUND_AND_CONNECTED = Duration.ofSeconds(3);
    private static final Duration SYNCED = Duration.ofSeconds(20);

    @TempDir
    Path base;

    @Test
    void start_pairedWithoutAddresses_findEachOtherConnectAndSync() throws Exception {
        int port = freeUdpPort();
        try (TestDevice a = new TestDevice("a", base); TestDevice b = new TestDevice("b", base)) {
            a.pairWith(b);
            b.pairWith(a);
            a.discoverPeers(DiscoveryConfig.loopback(port));
            b.discoverPeers(DiscoveryConfig.loopback(port));
            Files.writeString(a.file("hello.txt"), "found on the LAN");
            a.start();

            long started = System.nanoTime();
            b.start();
            long announcing = System.nanoTime();
            Await.until("a and b to connect through discovery", FOUND_AND_CONNECTED,
                    () -> a.connectedTo(b) && b.connectedTo(a));
            long connected = System.nanoTime();

            System.out.printf("LAN discovery: connected %d ms after the second device's first announcement"
                    + " (%d ms after its start began)%n", (connected - announcing) / 1_000_000,
                    (connected - started) / 1_000_000);
            Await.until("b to receive a's file", SYNCED, () -> hasContent(b.file("hello.txt"), "found on the LAN"));
        }
    }

    @Test
    void restart_onANewPort_peerReconnectsThroughTheNewAnnouncement() throws Exception {
        int port = freeUdpPort();
        try (TestDevice a = new TestDevice("a", base); TestDevice b = new TestDevice("b", base)) {
            a.pairWith(b);
            b.pairWith(a);
            a.discoverPeers(DiscoveryConfig.loopback(port));
            // b announces to a's port but listens on another: it never learns a's address, so
            // every connection here is a dialing b at the address b announced.
            b.discoverPeers(new DiscoveryConfig(true, freeUdpPort(), DiscoveryConfig.loopback(port).targets()));
            a.start();
            b.start();
            Await.until("a to dial b at its announced address", FOUND_AND_CONNECTED, () -> a.connectedTo(b));
            InetSocketAddress before = b.listenAddress();

            b.stop();
            Await.until("a to notice b is gone", SYNCED, () -> !a.connectedTo(b));
            b.forgetPort();
            long restarted = System.nanoTime();
            b.start();

            assertThat(b.listenAddress()).isNotEqualTo(before);
            Await.until("a to dial b at its new port", FOUND_AND_CONNECTED, () -> a.connectedTo(b));
            System.out.printf("LAN discovery: reconnected %d ms after a restart on a new port%n",
                    (System.nanoTime() - restarted) / 1_000_000);
            Files.writeString(a.file("after-move.txt"), "still in sync");
            Await.until("b to receive a file over the new connection", SYNCED,
                    () -> hasContent(b.file("after-move.txt"), "still in sync"));
        }
    }

    @Test
    void start_discoveryOff_bindsNoDiscoverySocket() throws Exception {
        int port = freeUdpPort();
        DiscoveryConfig loopback = DiscoveryConfig.loopback(port);
        try (TestDevice a = new TestDevice("a", base)) {
            a.discoverPeers(new DiscoveryConfig(false, port, loopback.targets()));
            a.start();

            assertThat(a.discoveryAddress()).isEmpty();
            bindExclusively(port).close();

            a.stop();
            a.discoverPeers(loopback);
            a.start();
            assertThat(a.discoveryAddress()).hasValueSatisfying(d -> assertThat(d.getPort()).isEqualTo(port));
            assertThatThrownBy(() -> bindExclusively(port)).isInstanceOf(IOException.class);
        }
    }

    /** Binds the discovery port without {@code SO_REUSEPORT}: fails while anyone listens there. */
    private static DatagramChannel bindExclusively(int port) throws IOException {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            ch.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[4]), port));
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramChannel probe = bindExclusively(0)) {
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }

    private static boolean hasContent(Path file, String expected) {
        try {
            return Files.isRegularFile(file) && Files.readString(file).equals(expected);
        } catch (IOException e) {
            return false;
        }
    }
}
