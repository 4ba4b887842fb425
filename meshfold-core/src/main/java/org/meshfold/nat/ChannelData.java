package org.meshfold.nat;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A ChannelData message (RFC 8656 §12.4): a 4-byte header (channel number 0x4000–0x4FFF,
 * length) and application data, the compact alternative to Send/Data indications once a channel
 * is bound. Over UDP padding is optional and a datagram may carry trailing padding; over TCP the
 * message is padded to a multiple of four so the next frame starts aligned.
 */
public record ChannelData(int channel, byte[] data) {
    public static final int MIN_CHANNEL = 0x4000;
    public static final int MAX_CHANNEL = 0x4FFF;
    public static final int HEADER_LENGTH = 4;

    public ChannelData {
        if (!isChannel(channel)) {
            throw new IllegalArgumentException(String.format("channel numbers are 0x4000-0x4FFF, got 0x%04x", channel));
        }
        if (data.length > 0xFFFF) {
            throw new IllegalArgumentException("ChannelData carries at most 65535 bytes, got " + data.length);
        }
        data = data.clone();
    }

    public static boolean isChannel(int number) {
        return number >= MIN_CHANNEL && number <= MAX_CHANNEL;
    }

    /** True if the first two bits are 01, which tells ChannelData from STUN (00) and QUIC (1x). */
    public static boolean looksLikeChannelData(ByteBuffer datagram) {
        return datagram.remaining() >= HEADER_LENGTH && (datagram.get(datagram.position()) & 0xC0) == 0x40;
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The wire form; {@code padded} for TCP/TLS transports. */
    public byte[] encode(boolean padded) {
        int length = HEADER_LENGTH + data.length;
        int total = padded ? (length + 3) & ~3 : length;
        return ByteBuffer.allocate(total).putShort((short) channel).putShort((short) data.length).put(data).array();
    }

    /**
     * Decodes one ChannelData datagram. Bytes beyond the declared length are padding and ignored
     * (at most three of them; more means a malformed message).
     */
    public static ChannelData decode(ByteBuffer datagram) throws StunFormatException {
        ByteBuffer b = datagram.duplicate();
        if (b.remaining() < HEADER_LENGTH) {
            throw new StunFormatException.Truncated("ChannelData of " + b.remaining() + " bytes, header needs 4");
        }
        int channel = b.getShort() & 0xFFFF;
        int length = b.getShort() & 0xFFFF;
        if (!isChannel(channel)) {
            throw new StunFormatException.BadAttribute(String.format("ChannelData on channel 0x%04x", channel));
        }
        if (length > b.remaining()) {
            throw new StunFormatException.Truncated("ChannelData declares " + length + " bytes, has " + b.remaining());
        }
        if (b.remaining() - length > 3) {
            throw new StunFormatException.BadLength("ChannelData declares " + length + " bytes but "
                    + b.remaining() + " follow the header");
        }
        byte[] data = new byte[length];
        b.get(data);
        return new ChannelData(channel, data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelData c && c.channel == channel && Arrays.equals(c.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * channel + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return String.format("ChannelData[0x%04x, %d bytes]", channel, data.length);
    }
}
