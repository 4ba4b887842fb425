package org.meshfold.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.meshfold.identity.DeviceId;
import org.meshfold.transport.tls.TlsContexts;

/**
 * Turns a completed TLS handshake into an {@link AuthenticatedPeer} event. The pinning trust
 * manager has already vetted the peer's key during the handshake; this reads the proven id.
 */
final class TlsPeerAuthenticator extends ChannelInboundHandlerAdapter {
    private final boolean initiator;

    TlsPeerAuthenticator(boolean initiator) {
        this.initiator = initiator;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (!(evt instanceof SslHandshakeCompletionEvent handshake)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        ctx.pipeline().remove(this);
        if (!handshake.isSuccess()) {
            // A handshake timeout is reported only as this event; make every failure visible the same way.
            ctx.fireExceptionCaught(handshake.cause());
            ctx.close();
            return;
        }
        DeviceId device;
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        try {
            device = TlsContexts.peerOf(tls.engine().getSession());
        } catch (SSLPeerUnverifiedException e) {
            ctx.fireExceptionCaught(e);
            ctx.close();
            return;
        }
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        ctx.fireUserEventTriggered(new AuthenticatedPeer(device, initiator, AuthenticatedPeer.pathTo(remote), remote,
                AuthenticatedPeer.TCP, TlsContexts.LANE_PROTOCOL.equals(tls.applicationProtocol())));
    }
}
