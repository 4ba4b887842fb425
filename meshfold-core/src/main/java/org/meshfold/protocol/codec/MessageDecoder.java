package org.meshfold.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;
import org.meshfold.protocol.Message;

/** Turns each frame into a validated {@link Message}; frames of unknown type produce nothing. */
final class MessageDecoder extends MessageToMessageDecoder<ByteBuf> {
    private final WireDecoder decoder;

    MessageDecoder(WireDecoder decoder) {
        super(ByteBuf.class);
        this.decoder = decoder;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) throws Exception {
        Message message = decoder.decode(frame);
        if (message != null) {
            out.add(message);
        }
    }
}
