package org.meshfold.transport.quic;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicSslContext;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import javax.net.ssl.SSLHandshakeException;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.transport.AuthenticatedPeer;
import org.meshfold.transport.tls.UntrustedPeerException;
import org.meshfold.transport.tls.TlsContexts;

/**
 * One outgoing QUIC connection: what was asked for, and what went wrong. It is the connection
 * channel's handler, so it sees the peer's close (with its TLS alert) and learns the channel as
 * soon as the channel exists. Confined to the socket's event loop.
 */
final class DialAttempt extends ChannelInboundHandlerAdapter {
    final DeviceId expected;
    final InetSocketAddress address;
    final Consumer<Channel> setup;
    final QuicSslContext context;
    private QuicChannel connection;
    private ChannelPromise promise;
    private volatile DeviceId answered;
    private QuicConnectionCloseEvent closed;

    DialAttempt(DeviceIdentity identity, DeviceId expected, InetSocketAddress address, Consumer<Channel> setup) {
        this.expected = expected;
        this.address = address;
        this.setup = setup;
        this.context = QuicContexts.client(identity, expected, this::accepts);
    }

    /** The trust decision for the server's certificate; remembers an unexpected device for the error. */
    private boolean accepts(DeviceId device) {
        if (expected.equals(device)) {
            return true;
        }
        answered = device;
        return false;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        connection = (QuicChannel) ctx.channel();
        promise = connection.newPromise();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof QuicConnectionCloseEvent close) {
            closed = close;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        promise.tryFailure(explain(cause));
        ctx.close();
    }

    QuicChannel connection() {
        return connection;
    }

    /** Completes when the stream is open (before authentication), fails when the connection does. */
    ChannelPromise promise() {
        return promise;
    }

    /** Why the connection failed: the wrong device answering says more than the handshake error. */
    Throwable explain(Throwable cause) {
        DeviceId other = answered;
        if (other != null) {
            return new UntrustedPeerException(other, TlsContexts.notExpected(expected));
        }
        return cause;
    }

    /** The failure of a stream that ended before the server accepted us. */
    Throwable refusal() {
        DeviceId other = answered;
        if (other != null) {
            return new UntrustedPeerException(other, TlsContexts.notExpected(expected));
        }
        QuicConnectionCloseEvent close = closed;
        String alert = close != null && close.isTlsError()
                ? " (TLS alert " + QuicConnectionCloseEvent.extractTlsError(close.error()) + ")" : "";
        // "Received fatal alert" is how the JDK words this; callers recognize a refusal by it.
        return new SSLHandshakeException("Received fatal alert" + alert + ": device " + expected.shortText()
                + " at " + AuthenticatedPeer.hostPort(address)
                + " closed the QUIC connection before accepting this device's certificate");
    }
}
