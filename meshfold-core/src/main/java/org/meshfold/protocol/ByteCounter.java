package org.meshfold.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Counts the raw bytes of a channel: installed first in the pipeline, nearest the socket, it sees
 * TLS records, so the figures include the handshake and record overhead (what the network
 * carries, TCP/IP headers aside). Inbound bytes count when read, outbound bytes once the write
 * completed (the socket took them), so bytes still queued in the channel do not count yet.
 *
 * <p>It also notes when bytes last arrived: any bytes, even part of a TLS record, show that the
 * peer is still sending, which is what {@link Liveness} and the connection quality need.
 *
 * <p>Updated on the channel's event loop only; the figures may be read from any thread.
 */
final class ByteCounter extends ChannelDuplexHandler {
    static final String NAME = "byte-counter";

    private final AtomicLong in = new AtomicLong();
    private final AtomicLong out = new AtomicLong();
    private final LongSupplier nanoTime;
    private volatile long lastReadNanos;

    /** @param nanoTime a monotonic time source in nanoseconds, like {@link System#nanoTime} */
    ByteCounter(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.lastReadNanos = nanoTime.getAsLong();
    }

    /** When bytes last arrived (on the {@code nanoTime} scale), or when this counter was made if none did yet. */
    long lastReadNanos() {
        return lastReadNanos;
    }

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
            lastReadNanos = nanoTime.getAsLong();
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
