package org.meshfold.protocol.codec;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;
import org.meshfold.protocol.Message;

/** Encodes each outgoing {@link Message} into one exactly sized frame buffer. */
final class MessageEncoder extends MessageToMessageEncoder<Message> {
    private final BlockListMemory sent = new BlockListMemory();
    private boolean deltas;

    MessageEncoder() {
        super(Message.class);
    }

    /** From now on, records that change a block list sent before are written as the change. */
    void sendDeltas() {
        deltas = true;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Message message, List<Object> out) {
        out.add(WireEncoder.encode(message, ctx.alloc(), sent, deltas));
    }
}
