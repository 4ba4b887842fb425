package org.meshfold.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.meshfold.identity.DeviceId;
import org.meshfold.nat.ChannelData;
import org.meshfold.nat.StunCodec;

class ProbeTest {
    private final DeviceId sender = DeviceId.of(bytes());

    private static byte[] bytes() {
        byte[] b = new byte[32];
        new Random(1).nextBytes(b);
        return b;
    }

    @Test
    void encode_decode_roundTrips() {
        Probe pong = new Probe(false, true, true, 0x00AB_CDEF_0123_4567L, sender);
        ByteBuf wire = pong.encode(ByteBufAllocator.DEFAULT);
        try {
            assertThat(wire.readableBytes()).isEqualTo(Probe.LENGTH);
            assertThat(Probe.decode(wire)).contains(pong);
        } finally {
            wire.release();
        }
    }

    @Test
    void wireForm_isNeitherQuicNorStunNorChannelData() {
        ByteBuf wire = new Probe(true, false, false, -1L, sender).encode(ByteBufAllocator.DEFAULT);
        try {
            ByteBuffer nio = wire.nioBuffer();
            assertThat(wire.getByte(0) & 0x40).as("QUIC fixed bit").isZero();
            assertThat(StunCodec.looksLikeStun(nio)).isFalse();
            assertThat(ChannelData.looksLikeChannelData(nio)).isFalse();
        } finally {
            wire.release();
        }
    }

    @Test
    void decode_malformed_isEmpty() {
        ByteBuf good = new Probe(true, false, false, 7, sender).encode(ByteBufAllocator.DEFAULT);
        byte[] bytes = new byte[Probe.LENGTH];
        good.getBytes(0, bytes);
        good.release();
        byte[] badKind = bytes.clone();
        badKind[4] = 9;
        byte[] badFlags = bytes.clone();
        badFlags[5] = (byte) 0x80;
        byte[] longer = java.util.Arrays.copyOf(bytes, Probe.LENGTH + 1);
        byte[] badMagic = bytes.clone();
        badMagic[1] = 'x';

        for (byte[] b : new byte[][] {badKind, badFlags, longer, badMagic, new byte[0]}) {
            assertThat(Probe.decode(Unpooled.wrappedBuffer(b))).isEmpty();
        }
    }

    @Test
    void decode_randomBytes_neverThrows() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            byte[] b = new byte[Probe.LENGTH];
            random.nextBytes(b);
            if (i % 2 == 0) {
                b[0] = 0x2d;
                b[1] = 'm';
                b[2] = 'f';
                b[3] = 'p';
            }
            Probe.decode(Unpooled.wrappedBuffer(b));
        }
    }
}
