package org.meshfold.discovery.rendezvous;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;
import org.meshfold.discovery.rendezvous.pb.Error;
import org.meshfold.discovery.rendezvous.pb.Frame;

/**
 * The rendezvous framing, shared by server and device: uint32 big-endian length, then one
 * protobuf {@link Frame}. A length above {@link #MAX_FRAME_BYTES} fails at once with
 * {@link io.netty.handler.codec.TooLongFrameException} (through {@code exceptionCaught}), before
 * any of the frame is buffered; the stream cannot be resynchronised, so the receiver closes it.
 */
public final class RendezvousFrames {
    /** Hard limit on one frame; the largest legitimate frame (a lookup answer) is under 2 KiB. */
    public static final int MAX_FRAME_BYTES = 64 * 1024;
    /** Largest opaque payload a {@code PairingRelay} may carry. */
    public static final int MAX_RELAY_PAYLOAD_BYTES = 4096;

    private RendezvousFrames() {
    }

    /** Appends the frame codec to {@code pipeline}; handlers added after it see {@link Frame}s. */
    public static void install(ChannelPipeline pipeline) {
        pipeline.addLast("rendezvous-frames", new LengthFieldBasedFrameDecoder(MAX_FRAME_BYTES, 0, 4, 0, 4, true));
        pipeline.addLast("rendezvous-length", new LengthFieldPrepender(4));
        pipeline.addLast("rendezvous-decoder", new Decoder());
        pipeline.addLast("rendezvous-encoder", new Encoder());
    }

    /** An error answer to request {@code requestId} (0 for a push). */
    public static Frame error(int requestId, Error.Code code, String message) {
        return Frame.newBuilder().setRequestId(requestId)
                .setError(Error.newBuilder().setCode(code).setMessage(message)).build();
    }

    private static final class Decoder extends MessageToMessageDecoder<ByteBuf> {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) throws Exception {
            out.add(Frame.parseFrom(new ByteBufInputStream(msg)));
        }
    }

    private static final class Encoder extends MessageToByteEncoder<Frame> {
        Encoder() {
            super(Frame.class);
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, Frame msg, ByteBuf out) throws Exception {
            msg.writeTo(new ByteBufOutputStream(out));
        }
    }
}
