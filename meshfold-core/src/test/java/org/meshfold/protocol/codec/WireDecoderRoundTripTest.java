package org.meshfold.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.meshfold.index.FileRecord;
import org.meshfold.protocol.Message;
import org.meshfold.protocol.SampleRecords;
import org.meshfold.protocol.codec.pb.Envelope;
import org.meshfold.protocol.codec.pb.Ping;
import org.meshfold.replication.BlockRequest;
import org.meshfold.replication.ClusterConfig;

class WireDecoderRoundTripTest {

    @Test
    void roundTrip_everyMessageType_equal() {
        byte[] block = new byte[WireCodec.MAX_BLOCK_SIZE];
        new Random(1).nextBytes(block);
        List<Message> messages = List.of(
                new Message.Hello("laptop", "meshfold", "0.1.0", 1),
                new Message.ClusterConfigMsg(new ClusterConfig(List.of(
                        new ClusterConfig.Folder("photos", "Photos", 77, 1000, -5, 3),
                        new ClusterConfig.Folder("docs", "", 1, 0, 0, 0)))),
                new Message.IndexUpdate("photos", List.of(SampleRecords.file("a/b.txt", 3),
                        SampleRecords.directory("a"), SampleRecords.symlink("l", "../target"),
                        SampleRecords.deleted("gone"), SampleRecords.file("empty", 0))),
                new Message.Request(Long.MAX_VALUE, new BlockRequest("photos", "a/b.txt", 1000, 1000,
                        SampleRecords.hash(1))),
                new Message.Response(3, 0, block),
                new Message.Response(4, Message.Response.NO_SUCH_BLOCK, new byte[0]),
                new Message.Ping(Long.MIN_VALUE),
                new Message.Pong(12345),
                new Message.Close("shutting down"));

        for (Message m : messages) {
            assertThat(CodecTesting.roundTrip(m)).isEqualTo(m);
        }
    }

    @Test
    void roundTrip_fileRecord_allFieldsExact() {
        FileRecord original = SampleRecords.file("dir/ünïcode name.txt", 5);

        var decoded = (Message.IndexUpdate) CodecTesting.roundTrip(new Message.IndexUpdate("f", List.of(original)));

        FileRecord r = decoded.records().getFirst();
        assertThat(r).isEqualTo(original);
        assertThat(r.blocksHash()).isEqualTo(original.blocksHash());
        assertThat(r.hlc()).isEqualTo(original.hlc());
        assertThat(r.modifiedBy()).isEqualTo(original.modifiedBy());
        assertThat(r.sequence()).isEqualTo(42);
        assertThat(r.mtimeNanos()).isEqualTo(original.mtimeNanos());
        assertThat(r.permissions()).isEqualTo(0644);
        assertThat(r.version()).isEqualTo(original.version());
    }

    @Test
    void roundTrip_recordWith20000Blocks_equal() {
        FileRecord big = SampleRecords.file("big.bin", 20_000);

        var decoded = (Message.IndexUpdate) CodecTesting.roundTrip(new Message.IndexUpdate("f", List.of(big)));

        assertThat(decoded.records()).containsExactly(big);
    }

    @Test
    void encode_largeIndexUpdate_lz4CompressedWithSize() {
        List<FileRecord> records = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            records.add(SampleRecords.directory("photos/2024/holiday/img-" + i));
        }
        Envelope envelope = encodedEnvelope(new Message.IndexUpdate("photos", records));

        assertThat(envelope.getLz4Size()).isGreaterThan(envelope.getPayload().size() * 10 / 9);
        assertThat(CodecTesting.roundTrip(new Message.IndexUpdate("photos", records)))
                .isEqualTo(new Message.IndexUpdate("photos", records));
    }

    @Test
    void encode_smallIndexUpdate_notCompressed() {
        Envelope envelope = encodedEnvelope(new Message.IndexUpdate("f", List.of(SampleRecords.directory("d"))));

        assertThat(envelope.getPayload().size()).isLessThanOrEqualTo(1024);
        assertThat(envelope.getLz4Size()).isZero();
    }

    @Test
    void encode_incompressibleIndexUpdate_notCompressed() {
        // Block hashes are random bytes: a record of many blocks barely compresses.
        Envelope envelope = encodedEnvelope(new Message.IndexUpdate("f", List.of(SampleRecords.file("r", 100))));

        assertThat(envelope.getPayload().size()).isGreaterThan(1024);
        assertThat(envelope.getLz4Size()).isZero();
    }

    @Test
    void decode_unknownEnvelopeType_skippedAndNextMessageDecoded() {
        EmbeddedChannel ch = CodecTesting.channel(WireCodec.MAX_FRAME_BYTES);

        ch.writeInbound(CodecTesting.frame(99, Ping.newBuilder().setNonce(1).build()));
        ch.writeInbound(CodecTesting.frame(MessageType.PING, Ping.newBuilder().setNonce(2).build()));

        assertThat((Object) ch.readInbound()).isEqualTo(new Message.Ping(2));
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void decode_closeReason_controlCharactersEscapedAndLengthBounded() {
        assertThat(CodecTesting.roundTrip(new Message.Close("bad\u001b[31m"))).isEqualTo(new Message.Close("bad\\u001b[31m"));
        Message.Close longReason = (Message.Close) CodecTesting.roundTrip(new Message.Close("x".repeat(5000)));
        assertThat(longReason.reason()).hasSize(1025).endsWith("…");
    }

    @Test
    void decode_framesSplitAcrossReads_reassembled() {
        EmbeddedChannel sender = CodecTesting.channel(WireCodec.MAX_FRAME_BYTES);
        sender.writeOutbound(new Message.Ping(1), new Message.Close("x"));
        ByteBuf a = sender.readOutbound();
        ByteBuf b = sender.readOutbound();
        ByteBuf all = io.netty.buffer.Unpooled.wrappedBuffer(a, b);
        EmbeddedChannel receiver = CodecTesting.channel(WireCodec.MAX_FRAME_BYTES);

        while (all.isReadable()) {
            receiver.writeInbound(all.readRetainedSlice(Math.min(3, all.readableBytes())));
        }

        assertThat((Object) receiver.readInbound()).isEqualTo(new Message.Ping(1));
        assertThat((Object) receiver.readInbound()).isEqualTo(new Message.Close("x"));
        all.release();
        sender.finishAndReleaseAll();
        receiver.finishAndReleaseAll();
    }

    private static Envelope encodedEnvelope(Message m) {
        ByteBuf buf = WireEncoder.encode(m, io.netty.buffer.UnpooledByteBufAllocator.DEFAULT);
        try {
            return Envelope.parseFrom(io.netty.buffer.ByteBufUtil.getBytes(buf, 4, buf.readableBytes() - 4));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        } finally {
            buf.release();
        }
    }
}
