package org.meshfold.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the raw bytes of a channel: installed first in the pipeline, nearest the socket, it sees
 * TLS records, so the figures include the handshake and record overhead (what the network
 * carries, TCP/IP headers aside). Inbound bytes count when read, outbound bytes once the write
 * completed (the socket took them), so bytes still queued in the channel do not count yet.
 *
 * <p>Updated on the channel's event loop only; {@link #bytesIn} and {@link #bytesOut} may be read
 * from any thread.
 */
final class ByteCounter extends ChannelDuplexHandler {
    static final String NAME = "byte-counter";

    private final AtomicLong in = new AtomicLong();
    private final AtomicLong out = new AtomicLong();

    long bytesIn() {
        return in.get();
    }

    long bytesOut() {
        return out.get();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            in.addAndGet(buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.write(msg, promise);
            return;
        }
        int size = buf.readableBytes(); // read now: the buffer is released once written
        // A void promise takes no listener; unvoid() keeps its failure going to exceptionCaught.
        ChannelPromise counted = promise.unvoid();
        counted.addListener(f -> {
            if (f.isSuccess()) {
                out.addAndGet(size);
            }
        });
        ctx.write(msg, counted);
    }
}
