package org.meshfold.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.nio.ByteOrder;
import org.meshfold.protocol.ProtocolException;
import org.meshfold.protocol.ProtocolException.Kind;

/**
 * Splits the stream into frames (uint32 big-endian length, then that many bytes) and emits each
 * frame without the prefix as a slice of the input (no copy). A length above the limit fails at
 * once, before any of the frame is buffered.
 */
final class FrameDecoder extends LengthFieldBasedFrameDecoder {
    private final int maxFrameBytes;
    private boolean failed;

    FrameDecoder(int maxFrameBytes) {
        super(ByteOrder.BIG_ENDIAN, checkLimit(maxFrameBytes) + 4, 0, 4, 0, 4, true);
        this.maxFrameBytes = maxFrameBytes;
    }

    private static int checkLimit(int maxFrameBytes) {
        if (maxFrameBytes < 1 || maxFrameBytes > Integer.MAX_VALUE - 4) {
            throw new IllegalArgumentException("max frame length out of range: " + maxFrameBytes);
        }
        return maxFrameBytes;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return null;
        }
        return super.decode(ctx, in);
    }

    @Override
    protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
        long frameLength = buf.getUnsignedInt(offset);
        if (frameLength > maxFrameBytes) {
            // The stream cannot be resynchronised: drop everything from here on.
            failed = true;
            buf.skipBytes(buf.readableBytes());
            // Unchecked here: the decoder base class passes DecoderException through unchanged.
            throw new DecoderException(new ProtocolException(Kind.FRAME_TOO_LARGE,
                    "frame of " + frameLength + " bytes exceeds the " + maxFrameBytes + "-byte limit"));
        }
        return frameLength;
    }
}
