package org.meshfold.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.identity.DeviceId;
import org.meshfold.transport.TcpTlsTransport;
import org.meshfold.transport.Transport;

/** Devices racing TCP + TLS and QUIC on loopback: which transport carries the connection, and that it syncs. */
class DeviceNodeQuicTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path base;

    @Test
    void snapshot_quicOnBothSides_syncsAndReportsTransport() throws Exception {
        try (TestNode a = new TestNode(base, "a"); TestNode b = new TestNode(base, "b")) {
            Files.writeString(a.folder.resolve("note.txt"), "over a raced connection");
            DeviceNode nodeA = a.start(true, TcpTlsTransport::create, b);
            DeviceNode nodeB = b.start(true, TcpTlsTransport::create, a);

            awaitFile(b, "note.txt", "over a raced connection");
            NodeStatus.Device device = connected(nodeB);
            assertThat(device.transport()).isIn("tcp", "quic");
            assertThat(device.path()).isEqualTo("lan");
            assertThat(connected(nodeA).transport()).isEqualTo(device.transport());
        }
    }

    @Test
    void snapshot_quicOffOnOneSide_connectsOverTcp() throws Exception {
        try (TestNode a = new TestNode(base, "a"); TestNode b = new TestNode(base, "b")) {
            Files.writeString(a.folder.resolve("note.txt"), "tcp only");
            DeviceNode nodeA = a.start(false, TcpTlsTransport::create, b);
            DeviceNode nodeB = b.start(true, TcpTlsTransport::create, a);

            awaitFile(b, "note.txt", "tcp only");
            assertThat(connected(nodeB).transport()).isEqualTo("tcp");
            assertThat(connected(nodeA).transport()).isEqualTo("tcp");
        }
    }

    @Test
    void snapshot_tcpBlocked_connectsOverQuic() throws Exception {
        try (TestNode a = new TestNode(base, "a"); TestNode b = new TestNode(base, "b")) {
            Files.writeString(a.folder.resolve("note.txt"), "through udp");
            // a pairs with b before b runs, so it has no address of b: only b dials, and b's TCP cannot get out.
            DeviceNode nodeA = a.start(true, TcpTlsTransport::create, b);
            DeviceNode nodeB = b.start(true, TcpBlocked::new, a);

            awaitFile(b, "note.txt", "through udp");
            assertThat(connected(nodeB).transport()).isEqualTo("quic");
            assertThat(connected(nodeB).address()).isEqualTo("127.0.0.1:" + nodeA.listenAddress().getPort());
            assertThat(connected(nodeA).transport()).isEqualTo("quic");
        }
    }

    private static void awaitFile(TestNode node, String name, String content) {
        TestNode.await(node.name + " has " + name, DEADLINE, () -> {
            try {
                Path f = node.folder.resolve(name);
                return Files.exists(f) && Files.readString(f).equals(content);
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static NodeStatus.Device connected(DeviceNode node) {
        TestNode.await("a connected device", DEADLINE, () -> node.snapshot().devices().get(0).connected());
        return node.snapshot().devices().get(0);
    }

    /** TCP + TLS on a network that refuses outgoing TCP: every dial goes to a closed port. */
    private static final class TcpBlocked implements Transport {
        private final TcpTlsTransport tcp;
        private final int closedPort;

        TcpBlocked(org.meshfold.identity.DeviceIdentity identity, java.util.function.Predicate<DeviceId> trusted) {
            this.tcp = TcpTlsTransport.create(identity, trusted);
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                closedPort = s.getLocalPort();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public InetSocketAddress listen(InetSocketAddress address, Consumer<Channel> setup) {
            return tcp.listen(address, setup);
        }

        @Override
        public ChannelFuture dial(DeviceId expected, InetSocketAddress address, Consumer<Channel> setup) {
            return tcp.dial(expected, new InetSocketAddress(address.getAddress(), closedPort), setup);
        }

        @Override
        public void close() {
            tcp.close();
        }
    }
}
