package org.meshfold.connect;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Optional;
import org.meshfold.identity.DeviceId;

/**
 * A path probe: a small datagram two devices exchange on every candidate path (hole punching,
 * path validation, NAT keepalive). A ping is answered by a pong with the same nonce on the path
 * it came by; a pong proves that the path works both ways.
 *
 * <p>Wire form, 45 bytes: {@code 0x2d 'm' 'f' 'p'}, kind (1 ping, 2 pong), flags, 7-byte nonce,
 * the sender's 32-byte device id. The first byte has QUIC's fixed bit clear and no STUN magic
 * cookie follows, so the socket's demultiplexer tells probes from QUIC, STUN and ChannelData.
 *
 * @param ping            a ping (else a pong)
 * @param viaSenderRelay  the sender sent it through its own TURN relay
 * @param viaTargetRelay  (pongs) the answered ping reached the sender through its own TURN relay
 */
record Probe(boolean ping, boolean viaSenderRelay, boolean viaTargetRelay, long nonce, DeviceId sender) {
    static final int LENGTH = 45;
    private static final int MAGIC = 0x2d6d6670;
    private static final int PING = 1;
    private static final int PONG = 2;
    private static final int SENDER_RELAY = 1;
    private static final int TARGET_RELAY = 2;
    private static final long NONCE_MASK = (1L << 56) - 1;

    Probe {
        nonce &= NONCE_MASK;
    }

    /** Whether {@code content} (not consumed) starts like a probe. */
    static boolean looksLikeProbe(ByteBuf content) {
        return content.readableBytes() == LENGTH && content.getInt(content.readerIndex()) == MAGIC;
    }

    /** Decodes a probe; empty for anything malformed (hostile input is dropped, not answered). */
    static Optional<Probe> decode(ByteBuf content) {
        if (!looksLikeProbe(content)) {
            return Optional.empty();
        }
        int at = content.readerIndex() + 4;
        int kind = content.getUnsignedByte(at);
        int flags = content.getUnsignedByte(at + 1);
        if ((kind != PING && kind != PONG) || (flags & ~(SENDER_RELAY | TARGET_RELAY)) != 0) {
            return Optional.empty();
        }
        long nonce = 0;
        for (int i = 0; i < 7; i++) {
            nonce = (nonce << 8) | content.getUnsignedByte(at + 2 + i);
        }
        byte[] id = new byte[32];
        content.getBytes(at + 9, id);
        return Optional.of(new Probe(kind == PING, (flags & SENDER_RELAY) != 0, (flags & TARGET_RELAY) != 0, nonce,
                DeviceId.of(id)));
    }

    ByteBuf encode(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(LENGTH, LENGTH);
        out.writeInt(MAGIC);
        out.writeByte(ping ? PING : PONG);
        out.writeByte((viaSenderRelay ? SENDER_RELAY : 0) | (viaTargetRelay ? TARGET_RELAY : 0));
        for (int i = 6; i >= 0; i--) {
            out.writeByte((int) (nonce >>> (8 * i)));
        }
        out.writeBytes(sender.bytes());
        return out;
    }
}
