package org.meshfold.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LanesTest {
    private final AtomicLong now = new AtomicLong(1_000);

    @Test
    void lastReadNanos_latestAmongTheLanesThatReceivedBytes() {
        Lanes lanes = new Lanes();
        assertThat(lanes.lastReadNanos(-1)).as("no lanes").isEqualTo(-1);

        EmbeddedChannel quiet = lane(lanes);
        EmbeddedChannel early = lane(lanes);
        EmbeddedChannel late = lane(lanes);
        now.set(2_000);
        assertThat(lanes.lastReadNanos(-1)).as("lanes that received nothing").isEqualTo(-1);

        early.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
        now.set(3_000);
        late.writeInbound(Unpooled.wrappedBuffer(new byte[] {2}));
        now.set(4_000);

        assertThat(lanes.lastReadNanos(-1)).isEqualTo(3_000);
        quiet.finishAndReleaseAll();
        early.finishAndReleaseAll();
        late.finishAndReleaseAll();
    }

    private EmbeddedChannel lane(Lanes lanes) {
        ByteCounter bytes = new ByteCounter(now::get);
        EmbeddedChannel channel = new EmbeddedChannel(bytes);
        lanes.add(new Lane(channel, device -> Optional.empty(), null, bytes, Timeouts.DEFAULT, now::get));
        return channel;
    }
}
