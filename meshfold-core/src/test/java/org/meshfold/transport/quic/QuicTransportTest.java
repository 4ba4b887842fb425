package org.meshfold.transport.quic;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.transport.AuthenticatedPeer;
import org.meshfold.transport.tls.UntrustedPeerException;

/** Real QUIC over loopback UDP, below the protocol: raw bytes on the stream. */
class QuicTransportTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    static DeviceIdentity alice;
    static DeviceIdentity bob;
    static DeviceIdentity carol;

    @BeforeAll
    static void identities(@TempDir Path tmp) throws Exception {
        alice = DeviceIdentity.loadOrCreate(tmp.resolve("alice"));
        bob = DeviceIdentity.loadOrCreate(tmp.resolve("bob"));
        carol = DeviceIdentity.loadOrCreate(tmp.resolve("carol"));
    }

    /**
     * Regression test: {@code shutdownOutput()} on a netty QUIC stream sends FIN ahead of writes
     * still queued for flow control, so the receiver saw a short stream. The FIN must travel on
     * the last frame ({@link StreamEnd}); 64 MiB is far beyond the flow-control windows.
     */
    @Test
    void writeLast_64MiBStream_arrivesByteExact() throws Exception {
        long total = Long.getLong("quic.test.bytes", 64L << 20);
        try (QuicTransport server = QuicTransport.create(alice, bob.deviceId()::equals);
                QuicTransport client = QuicTransport.create(bob, d -> true)) {
            Sink sink = new Sink();
            InetSocketAddress address = server.listen(ANY_LOOPBACK, ch -> ch.pipeline().addLast(sink));
            client.listen(ANY_LOOPBACK, ch -> { });
            Source source = new Source(total, 42);

            long cpuStart = processCpuNanos();
            client.dial(alice.deviceId(), address, ch -> ch.pipeline().addLast(source));

            Received received;
            try {
                received = sink.done.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("stream incomplete: " + sink.bytes + " bytes received, " + source.remaining
                        + " not yet written, sender writable " + (source.channel != null && source.channel.isWritable())
                        + " last " + source.last + " receiver " + sink.channel.isActive() + " " + sink.events, e);
            }
            long nanos = System.nanoTime() - source.startNanos;
            assertThat(sink.peer.device()).isEqualTo(bob.deviceId());
            assertThat(received.bytes()).isEqualTo(total);
            assertThat(received.sha256()).isEqualTo(source.sha256.get(5, TimeUnit.SECONDS));
            // CPU time as well: on a busy machine the wall time mostly measures other processes.
            System.out.printf("QUIC loopback: %d MiB in %d ms = %.0f MB/s, %d ms CPU (both ends)%n", total >> 20,
                    nanos / 1_000_000, total / (nanos / 1e9) / 1e6, (processCpuNanos() - cpuStart) / 1_000_000);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    @Test
    void dial_wrongDeviceAtTheAddress_failsWithUntrustedPeerAndNoEvent() throws Exception {
        try (QuicTransport server = QuicTransport.create(alice, d -> true);
                QuicTransport client = QuicTransport.create(bob, d -> true)) {
            InetSocketAddress address = server.listen(ANY_LOOPBACK, ch -> { });
            client.listen(ANY_LOOPBACK, ch -> { });
            Probe dialed = new Probe();

            ChannelFuture attempt = client.dial(carol.deviceId(), address, dialed).awaitUninterruptibly();

            assertThat(attempt.isSuccess()).isFalse();
            assertThat(attempt.cause()).isInstanceOf(UntrustedPeerException.class)
                    .hasMessageContaining(alice.deviceId() + " answered, but " + carol.deviceId());
            assertThat(dialed.peer).isNotDone();
        }
    }

    @Test
    void divertNonQuic_stunLikeDatagram_reachesHandlerWhileQuicWorksOnTheSameSocket() throws Exception {
        try (QuicTransport server = QuicTransport.create(alice, d -> true);
                QuicTransport client = QuicTransport.create(bob, d -> true);
                DatagramSocket stun = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            Probe accepted = new Probe();
            InetSocketAddress address = server.listen(ANY_LOOPBACK, accepted);
            client.listen(ANY_LOOPBACK, ch -> { });
            LinkedBlockingQueue<DatagramPacket> diverted = new LinkedBlockingQueue<>();
            server.divertNonQuic(diverted::add);
            // A STUN Binding request header (RFC 8489 §5): type 0x0001, length 0, magic cookie, transaction id.
            byte[] binding = HexFormat.of().parseHex("000100002112a442" + "0102030405060708090a0b0c");

            stun.send(new java.net.DatagramPacket(binding, binding.length, address));
            DatagramPacket got = diverted.poll(5, TimeUnit.SECONDS);

            assertThat(got).isNotNull();
            try {
                assertThat(ByteBufUtil.getBytes(got.content())).isEqualTo(binding);
                assertThat(got.sender().getPort()).isEqualTo(stun.getLocalPort());
                server.sendDatagram(Unpooled.wrappedBuffer(new byte[] {1, 1, 0, 0}), got.sender()).sync();
            } finally {
                got.release();
            }
            java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[16], 16);
            stun.setSoTimeout(5000);
            stun.receive(reply);
            assertThat(reply.getLength()).isEqualTo(4);

            Probe dialed = new Probe();
            Channel stream = client.dial(alice.deviceId(), address, dialed).sync().channel();
            assertThat(dialed.peer.get(5, TimeUnit.SECONDS).device()).isEqualTo(alice.deviceId());
            dialed.channel.writeAndFlush(Unpooled.copiedBuffer("hi", StandardCharsets.US_ASCII));
            assertThat(accepted.data.get(5, TimeUnit.SECONDS)).isEqualTo("hi");
            assertThat(accepted.peer.get(5, TimeUnit.SECONDS).device()).isEqualTo(bob.deviceId());
            assertThat(stream.isActive()).isTrue();
            assertThat(diverted).isEmpty();
        }
    }

    record Received(long bytes, String sha256) {
    }

    /** Counts and hashes everything after authentication until the stream ends. */
    static final class Sink extends ChannelInboundHandlerAdapter {
        final CompletableFuture<Received> done = new CompletableFuture<>();
        final MessageDigest digest = sha256();
        volatile AuthenticatedPeer peer;
        volatile long bytes;
        volatile Channel channel;
        final java.util.List<Object> events = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            channel = ctx.channel();
            events.add(evt);
            if (evt instanceof AuthenticatedPeer p) {
                peer = p;
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            bytes += buf.readableBytes();
            digest.update(buf.nioBuffer());
            buf.release();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.complete(new Received(bytes, HexFormat.of().formatHex(digest.digest())));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
        }
    }

    /** Sends {@code total} pseudo-random bytes as fast as the stream takes them, FIN on the last frame. */
    static final class Source extends ChannelInboundHandlerAdapter {
        private static final int CHUNK = 64 << 10;
        final CompletableFuture<String> sha256 = new CompletableFuture<>();
        private final MessageDigest digest = sha256();
        private final Random random;
        private final byte[] chunk = new byte[CHUNK];
        volatile long remaining;
        volatile Channel channel;
        volatile ChannelFuture last;
        private boolean started;
        volatile long startNanos;

        Source(long total, long seed) {
            this.remaining = total;
            this.random = new Random(seed);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof AuthenticatedPeer) {
                started = true;
                channel = ctx.channel();
                startNanos = System.nanoTime();
                pump(ctx);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (started) {
                pump(ctx);
            }
            ctx.fireChannelWritabilityChanged();
        }

        private void pump(ChannelHandlerContext ctx) {
            while (remaining > 0 && ctx.channel().isWritable()) {
                int n = (int) Math.min(CHUNK, remaining);
                random.nextBytes(chunk);
                digest.update(chunk, 0, n);
                ByteBuf buf = ctx.alloc().directBuffer(n).writeBytes(chunk, 0, n);
                remaining -= n;
                if (remaining == 0) {
                    last = StreamEnd.writeLast(ctx.channel(), buf);
                    sha256.complete(HexFormat.of().formatHex(digest.digest()));
                } else {
                    ctx.write(buf);
                }
            }
            ctx.flush();
        }
    }

    /** Records the authenticated peer and the first data a channel receives. */
    static final class Probe extends ChannelInboundHandlerAdapter implements java.util.function.Consumer<Channel> {
        final CompletableFuture<AuthenticatedPeer> peer = new CompletableFuture<>();
        final CompletableFuture<String> data = new CompletableFuture<>();
        volatile Channel channel;

        @Override
        public void accept(Channel ch) {
            channel = ch;
            ch.pipeline().addLast(this);
        }

        @Override
        public boolean isSharable() {
            return true;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof AuthenticatedPeer p) {
                peer.complete(p);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            data.complete(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            peer.completeExceptionally(cause);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
