package org.meshfold.protocol;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.function.Function;
import org.meshfold.transport.AuthenticatedPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands where the protocol handler of an accepted connection goes until the peer is
 * authenticated, then puts the right one there: the sync {@link Connection} for a paired device,
 * an {@link InviterConversation} for a device that came to pair. Nothing but the handshake
 * happens before that choice.
 */
final class AdmissionGate extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(AdmissionGate.class);

    private final Function<AuthenticatedPeer, ChannelHandler> route;

    /** @param route the handler for an authenticated peer; may also adjust the rest of the pipeline */
    AdmissionGate(Function<AuthenticatedPeer, ChannelHandler> route) {
        this.route = route;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof AuthenticatedPeer peer)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        ctx.pipeline().addAfter(ctx.name(), "connection", route.apply(peer));
        ctx.fireUserEventTriggered(evt);
        ctx.pipeline().remove(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // The transport delivers no data before authentication; anything else is a bug upstream.
        io.netty.util.ReferenceCountUtil.release(msg);
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("connection from {} failed before authentication: {}", ctx.channel().remoteAddress(),
                cause.toString());
        ctx.close();
    }
}
