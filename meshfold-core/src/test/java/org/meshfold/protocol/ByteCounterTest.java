package org.meshfold.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class ByteCounterTest {
    private long now = 7_000;

    @Test
    void channelRead_countsBytesAndPassesThemOn() {
        ByteCounter counter = new ByteCounter(() -> now);
        EmbeddedChannel ch = new EmbeddedChannel(counter);

        ch.writeInbound(Unpooled.wrappedBuffer(new byte[100]), Unpooled.wrappedBuffer(new byte[23]));

        assertThat(counter.bytesIn()).isEqualTo(123);
        assertThat(counter.bytesOut()).isZero();
        assertThat(ch.<ByteBuf>readInbound().readableBytes()).isEqualTo(100);
        ch.finishAndReleaseAll();
    }

    @Test
    void write_countsWrittenBytesWithOrWithoutAPromise() {
        ByteCounter counter = new ByteCounter(() -> now);
        EmbeddedChannel ch = new EmbeddedChannel(counter);

        ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[1000]));
        ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[24]), ch.voidPromise());

        assertThat(counter.bytesOut()).isEqualTo(1024);
        assertThat(counter.bytesIn()).isZero();
        ch.finishAndReleaseAll();
    }

    @Test
    void write_failed_notCounted() {
        ByteCounter counter = new ByteCounter(() -> now);
        EmbeddedChannel ch = new EmbeddedChannel(counter);
        ch.close();

        ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[50]));

        assertThat(counter.bytesOut()).isZero();
    }

    @Test
    void lastReadNanos_movesWithReadsOnly() {
        ByteCounter counter = new ByteCounter(() -> now);
        EmbeddedChannel ch = new EmbeddedChannel(counter);
        assertThat(counter.lastReadNanos()).isEqualTo(7_000);

        now = 9_000;
        ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[10]));
        assertThat(counter.lastReadNanos()).isEqualTo(7_000);
        now = 12_000;
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[1]));

        assertThat(counter.lastReadNanos()).isEqualTo(12_000);
        ch.finishAndReleaseAll();
    }
}
