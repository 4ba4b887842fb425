package org.meshfold.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshfold.protocol.Message;
import org.meshfold.protocol.SampleRecords;
import org.meshfold.protocol.codec.pb.Envelope;
import org.meshfold.replication.BlockRequest;
import org.meshfold.replication.ClusterConfig;

class WireEncoderTest {

    @Test
    void encode_ping_exactBytes() {
        ByteBuf buf = WireEncoder.encode(new Message.Ping(5), UnpooledByteBufAllocator.DEFAULT);
        try {
            // length 6 | type=6 | payload (2 bytes) | Ping.nonce=5
            assertThat(ByteBufUtil.hexDump(buf)).isEqualTo("00000006" + "0806" + "1202" + "0805");
        } finally {
            buf.release();
        }
    }

    @Test
    void encode_pingWithZeroNonce_omitsEmptyPayload() {
        ByteBuf buf = WireEncoder.encode(new Message.Ping(0), UnpooledByteBufAllocator.DEFAULT);
        try {
            assertThat(ByteBufUtil.hexDump(buf)).isEqualTo("00000002" + "0806");
        } finally {
            buf.release();
        }
    }

    @Test
    void encode_close_exactBytes() {
        ByteBuf buf = WireEncoder.encode(new Message.Close("bye"), UnpooledByteBufAllocator.DEFAULT);
        try {
            assertThat(ByteBufUtil.hexDump(buf)).isEqualTo("00000009" + "0808" + "1205" + "0a03" + "627965");
        } finally {
            buf.release();
        }
    }

    @Test
    void encode_everyType_matchesProtobufSerializationOfTheEnvelope() {
        var request = new BlockRequest("photos", "a/b.jpg", 262144, 1000, SampleRecords.hash(3));
        List<Message> messages = List.of(
                new Message.Hello("laptop", "meshfold", "0.1.0", 1),
                new Message.ClusterConfigMsg(new ClusterConfig(List.of(
                        new ClusterConfig.Folder("photos", "Photos", 77, 1000, -5, 3)))),
                new Message.IndexUpdate("photos", List.of(SampleRecords.file("a", 3), SampleRecords.directory("d"))),
                new Message.Request(9, request),
                new Message.Response(9, 0, new byte[] {1, 2, 3}),
                new Message.Pong(-1),
                new Message.Close("done"),
                new Message.PairRequest("photos", new byte[32], "phone"),
                new Message.PairChallenge(filled(32, 7)),
                new Message.PairProof(filled(32, 9)),
                Message.PairResult.accepted("photos", "Photos"),
                Message.PairResult.refused("this invite code was already used"));
        for (Message m : messages) {
            for (ByteBufAllocator alloc : List.of(UnpooledByteBufAllocator.DEFAULT, PooledByteBufAllocator.DEFAULT,
                    ByteBufAllocator.DEFAULT)) {
                ByteBuf buf = WireEncoder.encode(m, alloc);
                try {
                    byte[] body = ByteBufUtil.getBytes(buf, 4, buf.readableBytes() - 4);
                    assertThat(buf.getInt(0)).isEqualTo(body.length);
                    Envelope expected = Envelope.newBuilder().setType(typeOf(m)).setPayload(payloadOf(m)).build();
                    assertThat(HexFormat.of().formatHex(body)).as("%s with %s", m, alloc)
                            .isEqualTo(HexFormat.of().formatHex(expected.toByteArray()));
                } finally {
                    buf.release();
                }
            }
        }
    }

    @Test
    void encode_blockResponse_oneExactlySizedBuffer() {
        byte[] block = new byte[WireCodec.MAX_BLOCK_SIZE];
        block[0] = 7;
        block[block.length - 1] = 9;

        ByteBuf buf = WireEncoder.encode(new Message.Response(1, 0, block), ByteBufAllocator.DEFAULT);
        try {
            assertThat(buf.capacity()).isEqualTo(buf.readableBytes());
            assertThat(buf.nioBufferCount()).isEqualTo(1);
            assertThat(buf.getByte(buf.writerIndex() - 1)).isEqualTo((byte) 9);
        } finally {
            buf.release();
        }
    }

    private static int typeOf(Message m) {
        return switch (m) {
            case Message.Hello h -> MessageType.HELLO;
            case Message.ClusterConfigMsg c -> MessageType.CLUSTER_CONFIG;
            case Message.IndexUpdate u -> MessageType.INDEX_UPDATE;
            case Message.Request r -> MessageType.REQUEST;
            case Message.Response r -> MessageType.RESPONSE;
            case Message.Ping p -> MessageType.PING;
            case Message.Pong p -> MessageType.PONG;
            case Message.Close c -> MessageType.CLOSE;
            case Message.PairRequest r -> MessageType.PAIR_REQUEST;
            case Message.PairChallenge c -> MessageType.PAIR_CHALLENGE;
            case Message.PairProof p -> MessageType.PAIR_PROOF;
            case Message.PairResult r -> MessageType.PAIR_RESULT;
        };
    }

    /** The payload built independently with the generated builders. */
    private static ByteString payloadOf(Message m) {
        MessageLite lite = switch (m) {
            case Message.Hello h -> org.meshfold.protocol.codec.pb.Hello.newBuilder().setDeviceName(h.deviceName())
                    .setClientName(h.clientName()).setClientVersion(h.clientVersion())
                    .setProtocolVersion(h.protocolVersion()).build();
            case Message.ClusterConfigMsg c -> org.meshfold.protocol.codec.pb.ClusterConfig.newBuilder()
                    .addFolders(org.meshfold.protocol.codec.pb.Folder.newBuilder().setId("photos").setLabel("Photos")
                            .setEpoch(77).setMaxSequence(1000).setSeenEpoch(-5).setSeenSequence(3)).build();
            case Message.IndexUpdate u -> {
                var b = org.meshfold.protocol.codec.pb.IndexUpdate.newBuilder().setFolder(u.folder());
                u.records().forEach(r -> b.addFiles(FileInfoCodec.encode(r)));
                yield b.build();
            }
            case Message.Request r -> org.meshfold.protocol.codec.pb.Request.newBuilder().setId(r.id())
                    .setFolder(r.request().folderId()).setName(r.request().name()).setOffset(r.request().offset())
                    .setSize(r.request().size()).setHash(ByteString.copyFrom(r.request().hash().bytes())).build();
            case Message.Response r -> org.meshfold.protocol.codec.pb.Response.newBuilder().setId(r.id())
                    .setCode(r.code()).setData(ByteString.copyFrom(r.data())).build();
            case Message.Ping p -> org.meshfold.protocol.codec.pb.Ping.newBuilder().setNonce(p.nonce()).build();
            case Message.Pong p -> org.meshfold.protocol.codec.pb.Pong.newBuilder().setNonce(p.nonce()).build();
            case Message.Close c -> org.meshfold.protocol.codec.pb.Close.newBuilder().setReason(c.reason()).build();
            case Message.PairRequest r -> org.meshfold.protocol.codec.pb.PairRequest.newBuilder()
                    .setFolder(r.folderId()).setJoinerNonce(ByteString.copyFrom(r.joinerNonce()))
                    .setDeviceName(r.deviceName()).build();
            case Message.PairChallenge c -> org.meshfold.protocol.codec.pb.PairChallenge.newBuilder()
                    .setInviterNonce(ByteString.copyFrom(c.inviterNonce())).build();
            case Message.PairProof p -> org.meshfold.protocol.codec.pb.PairProof.newBuilder()
                    .setHmac(ByteString.copyFrom(p.hmac())).build();
            case Message.PairResult r -> org.meshfold.protocol.codec.pb.PairResult.newBuilder().setOk(r.ok())
                    .setReason(r.reason()).setFolder(r.folderId()).setFolderLabel(r.folderLabel()).build();
        };
        return lite.toByteString();
    }

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }
}
