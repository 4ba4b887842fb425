package org.meshfold.rendezvous;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.meshfold.discovery.rendezvous.RendezvousFrames;
import org.meshfold.discovery.rendezvous.RendezvousUrl;
import org.meshfold.discovery.rendezvous.pb.Frame;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.transport.AuthenticatedPeer;
import org.meshfold.transport.TcpTlsTransport;

/** A device session speaking raw frames, to send what the real client never would. */
final class RawSession implements AutoCloseable {
    private final TcpTlsTransport transport;
    private final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Channel> authenticated = new CompletableFuture<>();
    private volatile Channel channel;

    RawSession(DeviceIdentity identity, RendezvousUrl url) {
        transport = TcpTlsTransport.create(identity, d -> false);
        transport.dial(url.server(), url.address(), ch -> {
            channel = ch;
            RendezvousFrames.install(ch.pipeline());
            ch.pipeline().addLast(new SimpleChannelInboundHandler<Frame>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, Frame msg) {
                    received.add(msg);
                }

                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof AuthenticatedPeer) {
                        authenticated.complete(ctx.channel());
                    }
                }
            });
        });
        authenticated.orTimeout(10, TimeUnit.SECONDS).join();
    }

    void send(Frame frame) {
        channel.writeAndFlush(frame).syncUninterruptibly();
    }

    /** Writes bytes under the frame codec, straight into TLS. */
    void sendBytes(byte[] bytes) {
        channel.pipeline().context("rendezvous-length").writeAndFlush(Unpooled.wrappedBuffer(bytes)).syncUninterruptibly();
    }

    Frame next(Duration timeout) throws InterruptedException {
        Frame f = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (f == null) {
            throw new AssertionError("no frame from the rendezvous server within " + timeout);
        }
        return f;
    }

    /** The next answer to a request, skipping server pushes. */
    Frame answer(Duration timeout) throws InterruptedException {
        Frame f = next(timeout);
        while (f.getRequestId() == 0 && f.hasObservedAddress()) {
            f = next(timeout);
        }
        return f;
    }

    boolean closedWithin(Duration timeout) {
        return channel.closeFuture().awaitUninterruptibly(timeout.toMillis());
    }

    @Override
    public void close() {
        transport.close();
    }
}
