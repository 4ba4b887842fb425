package org.meshfold.protocol.codec;

import io.netty.channel.ChannelPipeline;

/**
 * The wire format, version 2: each frame is a 4-byte big-endian length followed by one protobuf
 * {@code Envelope} ({@code src/main/proto/meshfold/wire.proto}). {@link #addTo} installs the three
 * steps: framing (hard length limit), decoding with validation into
 * {@link org.meshfold.protocol.Message} records, and encoding of outgoing records.
 *
 * <p>Inbound failures surface through {@code exceptionCaught} as a
 * {@link io.netty.handler.codec.DecoderException} whose cause is a
 * {@link org.meshfold.protocol.ProtocolException}.
 */
public final class WireCodec {
    /** Hard limit on one frame's length (excluding the 4-byte length prefix). */
    public static final int MAX_FRAME_BYTES = 64 << 20;
    /** Largest block a record may list or a request may ask for. */
    public static final int MAX_BLOCK_SIZE = 256 << 10;
    public static final String FRAME_DECODER = "frame-decoder";
    public static final String MESSAGE_DECODER = "message-decoder";
    public static final String MESSAGE_ENCODER = "message-encoder";

    private WireCodec() {
    }

    /** Appends the framing, decoder and encoder handlers; {@code maxFrameBytes} bounds inbound frames. */
    public static void addTo(ChannelPipeline pipeline, int maxFrameBytes) {
        pipeline.addLast(FRAME_DECODER, new FrameDecoder(maxFrameBytes));
        pipeline.addLast(MESSAGE_DECODER, new MessageDecoder(new WireDecoder(maxFrameBytes)));
        pipeline.addLast(MESSAGE_ENCODER, new MessageEncoder());
    }

    /**
     * Lets the encoder of {@code pipeline} write block lists as changes to lists sent before on
     * the same connection; for peers whose Hello announces protocol version 2 or later. Call on
     * the channel's event loop.
     */
    public static void sendBlockListDeltas(ChannelPipeline pipeline) {
        if (pipeline.get(MESSAGE_ENCODER) instanceof MessageEncoder encoder) {
            encoder.sendDeltas();
        }
    }
}
