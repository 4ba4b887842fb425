package org.meshfold.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.meshfold.protocol.ProtocolException;
import org.meshfold.protocol.ProtocolException.Kind;
import org.meshfold.protocol.SampleRecords;
import org.meshfold.protocol.codec.pb.BlockInfo;
import org.meshfold.protocol.codec.pb.Counter;
import org.meshfold.protocol.codec.pb.Envelope;
import org.meshfold.protocol.codec.pb.FileInfo;
import org.meshfold.protocol.codec.pb.IndexUpdate;
import org.meshfold.protocol.codec.pb.Request;
import org.meshfold.protocol.codec.pb.Response;

/** Every kind of hostile input is refused with its own named reason. */
class WireDecoderRejectionTest {

    @Test
    void decode_frameOverLimit_rejectedFromTheLengthAlone() {
        ByteBuf input = Unpooled.buffer().writeInt(70_000_000);

        ProtocolException e = CodecTesting.rejection(input);

        assertThat(e.kind()).isEqualTo(Kind.FRAME_TOO_LARGE);
        assertThat(e).hasMessage("frame of 70000000 bytes exceeds the 67108864-byte limit");
    }

    @Test
    void decode_frameOverConfiguredLimit_rejected() {
        ByteBuf input = Unpooled.buffer().writeInt(1001).writeZero(1001);

        ProtocolException e = CodecTesting.rejection(input, 1000);

        assertThat(e).hasMessage("frame of 1001 bytes exceeds the 1000-byte limit");
    }

    @Test
    void decode_textProtocolGarbage_rejectedAsOversizedFrame() {
        ByteBuf input = Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII);

        assertThat(CodecTesting.rejection(input).kind()).isEqualTo(Kind.FRAME_TOO_LARGE);
    }

    @Test
    void decode_garbageInsideFrame_malformed() {
        ByteBuf input = Unpooled.buffer().writeInt(4).writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, 0x07, 0x00});

        ProtocolException e = CodecTesting.rejection(input);

        assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(e).hasMessageContaining("not a message envelope");
    }

    @Test
    void decode_garbagePayload_malformed() {
        ByteBuf input = CodecTesting.frame(Envelope.newBuilder().setType(MessageType.REQUEST)
                .setPayload(ByteString.copyFrom(new byte[] {0x0a, 0x7f, 0x01})).build());

        ProtocolException e = CodecTesting.rejection(input);

        assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(e).hasMessageContaining("malformed message of type 4");
    }

    @Test
    void decode_unsafeNames_rejectedWithTheReason() {
        record Case(String name, String reason) {
        }
        List<Case> cases = List.of(
                new Case("../../x", "invalid name '../../x': '.' or '..' component"),
                new Case("/etc/x", "invalid name '/etc/x': absolute path or backslash"),
                new Case("a/../../x", "invalid name 'a/../../x': '.' or '..' component"),
                new Case("a\0b", "invalid name 'a\\0b': contains a NUL character"),
                new Case("d/" + "x".repeat(300), "a component is longer than 255 bytes"),
                new Case(".meshfold-tmp-x", "uses the reserved temp-file prefix"),
                new Case("", "empty name"));
        for (Case c : cases) {
            ProtocolException e = CodecTesting.rejection(index(f -> f.setName(c.name())));
            assertThat(e.kind()).as(c.name()).isEqualTo(Kind.INVALID_NAME);
            assertThat(e).as(c.name()).hasMessageContaining(c.reason());

            ProtocolException r = CodecTesting.rejection(request(q -> q.setName(c.name())));
            assertThat(r.kind()).as(c.name()).isEqualTo(Kind.INVALID_NAME);
        }
    }

    @Test
    void decode_millionEntryVersionVector_rejected() {
        ProtocolException e = CodecTesting.rejection(index(f -> {
            for (int i = 1; i <= 1_000_000; i++) {
                f.addVersion(Counter.newBuilder().setDevice(i).setValue(1));
            }
            return f;
        }));

        assertThat(e.kind()).isEqualTo(Kind.INVALID_VERSION_VECTOR);
        assertThat(e).hasMessageContaining("version vector has 1000002 entries (max 10000)");
    }

    @Test
    void decode_badVersionVectorEntries_rejected() {
        assertVectorRejected(Counter.newBuilder().setDevice(0).setValue(1), "zero device id");
        assertVectorRejected(Counter.newBuilder().setDevice(5).setValue(0), "counter 0 of device 5 is not in");
        assertVectorRejected(Counter.newBuilder().setDevice(5).setValue(-1), "counter 18446744073709551615");
        ProtocolException e = CodecTesting.rejection(index(f -> f.addVersion(f.getVersion(0))));
        assertThat(e).hasMessageContaining("version vector lists device 123456789abcdef twice");
    }

    @Test
    void decode_badBlocks_rejected() {
        assertBlocksRejected(f -> f.setBlocks(0, f.getBlocks(0).toBuilder().setHash(ByteString.copyFrom(new byte[31]))),
                "block 0 hash is 31 bytes, a SHA-256 hash has 32");
        assertBlocksRejected(f -> f.setBlocks(1, f.getBlocks(1).toBuilder().setOffset(999)),
                "block 1 starts at 999, expected 1000");
        assertBlocksRejected(f -> f.setBlocks(2, f.getBlocks(2).toBuilder().setSize(0)).setSize(2000),
                "block 2 has size 0 (must be 1..262144)");
        assertBlocksRejected(f -> f.setBlocks(2, f.getBlocks(2).toBuilder().setSize(262_145)).setSize(264_145),
                "block 2 has size 262145");
        assertBlocksRejected(f -> f.setSize(3001), "blocks cover 3000 bytes but the file has 3001");
        assertBlocksRejected(f -> f.setType(1), "a DIRECTORY record lists 3 blocks");
        assertBlocksRejected(f -> f.setDeleted(true), "a deleted record lists 3 blocks");
        assertBlocksRejected(f -> f.setSize(2), "3 blocks cannot tile 2 bytes");
        assertBlocksRejected(f -> f.clearBlocks(), "has 3000 bytes but no blocks");
        assertBlocksRejected(f -> f.setBlocksHash(ByteString.copyFrom(new byte[32])),
                "blocks hash does not match the block list");
        assertBlocksRejected(f -> f.setBlocksHash(ByteString.EMPTY), "blocks hash is 0 bytes");
    }

    @Test
    void decode_blockOfExactlyMaxSize_accepted() {
        var record = FileInfoCodec.encode(SampleRecords.file("f", 1)).toBuilder();
        record.setBlocks(0, record.getBlocks(0).toBuilder().setSize(WireCodec.MAX_BLOCK_SIZE))
                .setSize(WireCodec.MAX_BLOCK_SIZE);
        var blocks = List.of(new org.meshfold.index.Block(0, WireCodec.MAX_BLOCK_SIZE, SampleRecords.hash(
                "f".hashCode() * 31L)));
        record.setBlocksHash(ByteString.copyFrom(org.meshfold.index.FileRecord.hashOf(blocks).bytes()));

        var ch = CodecTesting.channel(WireCodec.MAX_FRAME_BYTES);
        ch.writeInbound(CodecTesting.frame(MessageType.INDEX_UPDATE,
                IndexUpdate.newBuilder().setFolder("f").addFiles(record).build()));
        assertThat((Object) ch.readInbound()).isNotNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void decode_recordFieldsOutOfRange_rejected() {
        assertRecordRejected(f -> f.setSize(1L << 51).clearBlocks(), Kind.INVALID_RECORD, "outside 0..2^50");
        assertRecordRejected(f -> f.setSize(-1).clearBlocks(), Kind.INVALID_RECORD,
                "size 18446744073709551615 is outside");
        assertRecordRejected(f -> f.setType(7), Kind.INVALID_RECORD, "unknown file type code 7");
        assertRecordRejected(f -> f.setPermissions(0100644), Kind.INVALID_RECORD, "are not POSIX mode bits");
        assertRecordRejected(f -> f.setSymlinkTarget("x"), Kind.INVALID_RECORD, "a FILE record has a symlink target");
        assertRecordRejected(f -> f.setHlcLogical(-1), Kind.INVALID_RECORD, "timestamp");
        assertRecordRejected(f -> f.setSequence(-1), Kind.INVALID_RECORD, "sequence");
    }

    @Test
    void decode_badFolderIds_rejected() {
        ProtocolException empty = CodecTesting.rejection(CodecTesting.frame(MessageType.INDEX_UPDATE,
                IndexUpdate.newBuilder().setFolder("").build()));
        assertThat(empty.kind()).isEqualTo(Kind.INVALID_FOLDER);
        assertThat(empty).hasMessageContaining("must be 1..64 characters, got 0");

        ProtocolException tooLong = CodecTesting.rejection(request(q -> q.setFolder("f".repeat(65))));
        assertThat(tooLong).hasMessageContaining("got 65");
    }

    @Test
    void decode_indexUpdateOver100000Records_rejected() {
        IndexUpdate.Builder u = IndexUpdate.newBuilder().setFolder("f");
        FileInfo empty = FileInfo.getDefaultInstance();
        for (int i = 0; i <= 100_000; i++) {
            u.addFiles(empty);
        }

        ProtocolException e = CodecTesting.rejection(CodecTesting.frame(MessageType.INDEX_UPDATE, u.build()));

        assertThat(e.kind()).isEqualTo(Kind.TOO_MANY_RECORDS);
        assertThat(e).hasMessage("index update for folder f has 100001 records (max 100000)");
    }

    @Test
    void decode_badRequests_rejected() {
        assertThat(CodecTesting.rejection(request(q -> q.setSize(0)))).hasMessageContaining("asks for 0 bytes");
        assertThat(CodecTesting.rejection(request(q -> q.setSize(262_145)))).hasMessageContaining("asks for 262145");
        assertThat(CodecTesting.rejection(request(q -> q.setOffset(-1)))).hasMessageContaining("offset");
        assertThat(CodecTesting.rejection(request(q -> q.setHash(ByteString.copyFrom(new byte[3])))).kind())
                .isEqualTo(Kind.INVALID_REQUEST);
    }

    @Test
    void decode_oversizedResponse_rejected() {
        ProtocolException e = CodecTesting.rejection(CodecTesting.frame(MessageType.RESPONSE, Response.newBuilder()
                .setId(1).setData(ByteString.copyFrom(new byte[WireCodec.MAX_BLOCK_SIZE + 1])).build()));

        assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE);
    }

    @Test
    void decode_lz4SizeOverLimit_rejectedBeforeAllocating() {
        ByteBuf input = CodecTesting.frame(Envelope.newBuilder().setType(MessageType.INDEX_UPDATE)
                .setPayload(ByteString.copyFrom(new byte[10])).setLz4Size(-1).build());

        ProtocolException e = CodecTesting.rejection(input);

        assertThat(e.kind()).isEqualTo(Kind.BAD_COMPRESSION);
        assertThat(e).hasMessage("compressed payload claims 4294967295 bytes, more than the 67108864-byte limit");
    }

    @Test
    void decode_corruptOrLyingLz4_rejected() {
        byte[] raw = IndexUpdate.newBuilder().setFolder("x".repeat(2000)).build().toByteArray();
        byte[] compressed = IndexCompression.compressIfWorthIt(raw);
        assertThat(compressed).isNotNull();

        ProtocolException lying = CodecTesting.rejection(CodecTesting.frame(Envelope.newBuilder()
                .setType(MessageType.INDEX_UPDATE).setPayload(ByteString.copyFrom(compressed))
                .setLz4Size(raw.length + 5).build()));
        assertThat(lying).hasMessageContaining("but claims " + (raw.length + 5));

        byte[] corrupt = compressed.clone();
        corrupt[0] = (byte) 0xff;
        ProtocolException broken = CodecTesting.rejection(CodecTesting.frame(Envelope.newBuilder()
                .setType(MessageType.INDEX_UPDATE).setPayload(ByteString.copyFrom(corrupt).concat(
                        ByteString.copyFrom(new byte[] {1, 2, 3})))
                .setLz4Size(raw.length).build()));
        assertThat(broken.kind()).isEqualTo(Kind.BAD_COMPRESSION);
    }

    private static void assertVectorRejected(Counter.Builder counter, String reason) {
        ProtocolException e = CodecTesting.rejection(index(f -> f.addVersion(counter)));
        assertThat(e.kind()).isEqualTo(Kind.INVALID_VERSION_VECTOR);
        assertThat(e).hasMessageContaining(reason);
    }

    private static void assertBlocksRejected(UnaryOperator<FileInfo.Builder> change, String reason) {
        assertRecordRejected(change, Kind.INVALID_BLOCKS, reason);
    }

    private static void assertRecordRejected(UnaryOperator<FileInfo.Builder> change, Kind kind, String reason) {
        ProtocolException e = CodecTesting.rejection(index(change));
        assertThat(e).as(reason).hasMessageContaining(reason);
        assertThat(e.kind()).as(reason).isEqualTo(kind);
        assertThat(e).hasMessageStartingWith("file '");
    }

    /** An index update of one valid 3-block file record, changed by {@code change}. */
    private static ByteBuf index(UnaryOperator<FileInfo.Builder> change) {
        FileInfo.Builder f = FileInfoCodec.encode(SampleRecords.file("ok", 3)).toBuilder();
        return CodecTesting.frame(MessageType.INDEX_UPDATE,
                IndexUpdate.newBuilder().setFolder("f").addFiles(change.apply(f)).build());
    }

    private static ByteBuf request(UnaryOperator<Request.Builder> change) {
        Request.Builder r = Request.newBuilder().setId(1).setFolder("f").setName("a").setOffset(0).setSize(10)
                .setHash(ByteString.copyFrom(SampleRecords.hash(1).bytes()));
        return CodecTesting.frame(MessageType.REQUEST, change.apply(r).build());
    }
}
