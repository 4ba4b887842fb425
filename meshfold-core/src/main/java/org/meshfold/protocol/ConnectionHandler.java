package org.meshfold.protocol;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.meshfold.transport.AuthenticatedPeer;

/** The last inbound handler: feeds channel events into the {@link Connection}, on its event loop. */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private final Connection connection;

    ConnectionHandler(Connection connection) {
        this.connection = connection;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof AuthenticatedPeer authenticated) {
            connection.onAuthenticated(authenticated);
        } else if (evt instanceof IdleStateEvent idle) {
            connection.onIdle(idle.state());
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Message message)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            connection.onMessage(message);
        } catch (ProtocolException e) {
            connection.fail(e);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        connection.onWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable t = cause;
        while (t != null && !(t instanceof ProtocolException)) {
            t = t.getCause();
        }
        connection.fail(t != null ? t : cause);
    }
}
