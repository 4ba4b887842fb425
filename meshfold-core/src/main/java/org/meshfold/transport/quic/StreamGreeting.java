package org.meshfold.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.meshfold.identity.DeviceId;
import org.meshfold.transport.AuthenticatedPeer;
import org.meshfold.transport.tls.TlsContexts;

/**
 * One byte each way that turns a QUIC stream into an authenticated meshfold connection.
 *
 * <p>Why: in TLS 1.3 the client finishes its handshake before the server has judged the
 * client's certificate, so a refused client would otherwise believe it is connected until the
 * server's close arrives. And a QUIC stream exists for the server only once the client sends on
 * it. So the dialer opens the stream with {@link #OPEN}; the server, whose handshake has already
 * vetted the dialer, answers {@link #ACCEPTED} and reports the peer; the dialer reports the peer
 * on reading that answer. No other byte passes this handler before that, and both bytes are
 * removed from the stream.
 *
 * <p>A dialer whose stream ends before the answer was refused by the server: it sees an
 * {@link SSLHandshakeException} saying so (the QUIC close carries only the TLS alert).
 */
final class StreamGreeting extends ChannelInboundHandlerAdapter {
    static final byte OPEN = 0x6d;
    static final byte ACCEPTED = 0x4d;

    private final DialAttempt dial;
    private boolean done;

    /** @param dial the dial this stream belongs to, or null on the accepting side */
    StreamGreeting(DialAttempt dial) {
        this.dial = dial;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (dial != null) {
            ctx.writeAndFlush(ctx.alloc().directBuffer(1).writeByte(OPEN));
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (done || !(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!buf.isReadable()) {
            buf.release();
            return;
        }
        byte expected = dial == null ? OPEN : ACCEPTED;
        byte first = buf.readByte();
        if (first != expected) {
            ReferenceCountUtil.release(buf);
            fail(ctx, new IOException("QUIC peer at " + remote(ctx) + " opened the stream with byte " + first
                    + " instead of " + expected + ": not a meshfold device of this version"));
            return;
        }
        done = true;
        DeviceId device;
        try {
            device = TlsContexts.peerOf(quic(ctx).sslEngine().getSession());
        } catch (SSLPeerUnverifiedException e) {
            buf.release();
            fail(ctx, e);
            return;
        }
        if (dial == null) {
            ctx.writeAndFlush(ctx.alloc().directBuffer(1).writeByte(ACCEPTED));
        }
        InetSocketAddress remote = remote(ctx);
        ctx.pipeline().remove(this);
        ctx.fireUserEventTriggered(new AuthenticatedPeer(device, dial != null, AuthenticatedPeer.pathTo(remote),
                remote, AuthenticatedPeer.QUIC));
        if (buf.isReadable()) {
            ctx.fireChannelRead(buf);
        } else {
            buf.release();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (dial != null) {
            // Registered before the protocol's own close listener, so the protocol learns why first.
            ctx.channel().closeFuture().addListener(f -> {
                if (!done) {
                    done = true;
                    ctx.fireExceptionCaught(dial.refusal());
                }
            });
        }
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        done = true;
        ctx.fireExceptionCaught(cause);
        ctx.close();
    }

    private static QuicChannel quic(ChannelHandlerContext ctx) {
        return (QuicChannel) ctx.channel().parent();
    }

    private static InetSocketAddress remote(ChannelHandlerContext ctx) {
        return (InetSocketAddress) quic(ctx).remoteSocketAddress();
    }
}
