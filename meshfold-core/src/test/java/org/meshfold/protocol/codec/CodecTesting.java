package org.meshfold.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.MessageLite;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.meshfold.protocol.Message;
import org.meshfold.protocol.ProtocolException;
import org.meshfold.protocol.codec.pb.Envelope;

/** Drives the codec through an {@link EmbeddedChannel}, as on a real connection but without sockets. */
final class CodecTesting {
    private CodecTesting() {
    }

    static EmbeddedChannel channel(int maxFrameBytes) {
        EmbeddedChannel ch = new EmbeddedChannel();
        WireCodec.addTo(ch.pipeline(), maxFrameBytes);
        return ch;
    }

    /** Encodes {@code message} on one channel and decodes the bytes on another. */
    static Message roundTrip(Message message) {
        EmbeddedChannel sender = channel(WireCodec.MAX_FRAME_BYTES);
        EmbeddedChannel receiver = channel(WireCodec.MAX_FRAME_BYTES);
        assertThat(sender.writeOutbound(message)).isTrue();
        ByteBuf bytes = sender.readOutbound();
        receiver.writeInbound(bytes);
        Message decoded = receiver.readInbound();
        assertThat((Object) receiver.readInbound()).isNull();
        sender.finishAndReleaseAll();
        receiver.finishAndReleaseAll();
        return decoded;
    }

    static ByteBuf frame(int type, MessageLite payload) {
        return frame(Envelope.newBuilder().setType(type).setPayload(payload.toByteString()).build());
    }

    static ByteBuf frame(Envelope envelope) {
        byte[] body = envelope.toByteArray();
        return Unpooled.buffer().writeInt(body.length).writeBytes(body);
    }

    /** Feeds {@code input} to a fresh channel and returns the protocol violation it raised. */
    static ProtocolException rejection(ByteBuf input) {
        return rejection(input, WireCodec.MAX_FRAME_BYTES);
    }

    static ProtocolException rejection(ByteBuf input, int maxFrameBytes) {
        EmbeddedChannel ch = channel(maxFrameBytes);
        Throwable thrown = catchThrowable(() -> ch.writeInbound(input));
        ch.finishAndReleaseAll();
        Throwable t = thrown;
        while (t != null && !(t instanceof ProtocolException)) {
            t = t.getCause();
        }
        assertThat(t).as("protocol violation raised by the decoder, got %s", thrown)
                .isInstanceOf(ProtocolException.class);
        return (ProtocolException) t;
    }
}
