package org.meshfold.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.protocol.codec.WireCodec;
import org.meshfold.transport.AuthenticatedPeer;
import org.meshfold.transport.TcpTlsTransport;

/**
 * A trusted device that speaks the wire format by hand: it authenticates properly, then sends
 * whatever a test wants, including bytes no honest peer would send. Records what it receives.
 */
final class HostilePeer implements AutoCloseable {
    private final TcpTlsTransport transport;
    private final Channel channel;
    final CompletableFuture<AuthenticatedPeer> authenticated = new CompletableFuture<>();
    final List<Message> received = new CopyOnWriteArrayList<>();

    HostilePeer(DeviceIdentity identity, DeviceIdentity target, InetSocketAddress address) throws Exception {
        transport = TcpTlsTransport.create(identity, d -> true);
        channel = transport.dial(target.deviceId(), address, ch -> {
            WireCodec.addTo(ch.pipeline(), WireCodec.MAX_FRAME_BYTES);
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof AuthenticatedPeer p) {
                        authenticated.complete(p);
                    }
                }

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    received.add((Message) msg);
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    authenticated.completeExceptionally(cause);
                }
            });
        }).sync().channel();
        authenticated.get(10, TimeUnit.SECONDS);
    }

    void send(Message message) {
        channel.writeAndFlush(message).syncUninterruptibly();
    }

    void sendRaw(ByteBuf bytes) {
        channel.writeAndFlush(bytes).syncUninterruptibly();
    }

    void sayHello() {
        send(new Message.Hello("hostile", "test", "0", Message.Hello.PROTOCOL_VERSION));
    }

    boolean isClosed() {
        return !channel.isActive();
    }

    /** The reason of the Close message received, or null. */
    String closeReason() {
        return received.stream().filter(m -> m instanceof Message.Close).map(m -> ((Message.Close) m).reason())
                .findFirst().orElse(null);
    }

    @Override
    public void close() {
        transport.close();
    }
}
