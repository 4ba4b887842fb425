package org.meshfold.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;

/**
 * Ends a stream after its last bytes, safely on every transport. On a QUIC stream the FIN travels
 * on the last frame, in order behind everything queued; {@code shutdownOutput()} would send it at
 * once, ahead of writes waiting for flow control, and truncate the stream. Elsewhere the output
 * is shut down once the last write has completed.
 */
public final class StreamEnd {
    private StreamEnd() {
    }

    /** Writes and flushes {@code last} (may be empty), then ends the output; takes ownership of {@code last}. */
    public static ChannelFuture writeLast(Channel ch, ByteBuf last) {
        if (ch instanceof QuicStreamChannel) {
            return ch.writeAndFlush(new DefaultQuicStreamFrame(last, true));
        }
        ChannelFuture written = ch.writeAndFlush(last);
        if (!(ch instanceof DuplexChannel duplex)) {
            return written;
        }
        var ended = ch.newPromise();
        written.addListener(f -> {
            if (f.isSuccess()) {
                duplex.shutdownOutput(ended);
            } else {
                ended.setFailure(f.cause());
            }
        });
        return ended;
    }
}
