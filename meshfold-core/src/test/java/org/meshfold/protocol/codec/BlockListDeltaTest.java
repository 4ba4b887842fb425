package org.meshfold.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.meshfold.index.Block;
import org.meshfold.index.FileRecord;
import org.meshfold.protocol.Message;
import org.meshfold.protocol.ProtocolException;
import org.meshfold.protocol.SampleRecords;
import org.meshfold.protocol.codec.pb.FileInfo;
import org.meshfold.protocol.codec.pb.IndexUpdate;

class BlockListDeltaTest {
    private static final int BLOCKS = 1_000;

    /** A connection's two codec ends, without sockets; the receiver decodes what the sender encoded. */
    private final EmbeddedChannel sender = CodecTesting.channel(WireCodec.MAX_FRAME_BYTES);
    private final EmbeddedChannel receiver = CodecTesting.channel(WireCodec.MAX_FRAME_BYTES);

    @AfterEach
    void release() {
        sender.finishAndReleaseAll();
        receiver.finishAndReleaseAll();
    }

    /** {@code original} with {@code count} new blocks of {@code size} bytes inserted before block {@code at}. */
    private static FileRecord inserted(FileRecord original, int at, int count, int size) {
        List<Block> blocks = new ArrayList<>(original.blocks().subList(0, at));
        for (int i = 0; i < count; i++) {
            blocks.add(new Block(0, size, SampleRecords.hash(-1 - i)));
        }
        blocks.addAll(original.blocks().subList(at, original.blocks().size()));
        List<Block> tiled = new ArrayList<>(blocks.size());
        long offset = 0;
        for (Block b : blocks) {
            tiled.add(new Block(offset, b.size(), b.hash()));
            offset += b.size();
        }
        return new FileRecord(original.name(), original.type(), offset, original.permissions(),
                original.mtimeNanos() + 1, tiled, null, "", false, original.version(), original.hlc(),
                original.modifiedBy(), original.sequence() + 1);
    }

    private static BlockListMemory.Entry entry(FileRecord r) {
        return new BlockListMemory.Entry(r.blocksHash(), r.blocks());
    }

    @Test
    void between_insertInTheMiddle_keepsTheBlocksAroundIt() {
        FileRecord before = SampleRecords.file("big", BLOCKS);
        FileRecord after = inserted(before, 300, 3, 777);

        BlockListDelta delta = BlockListDelta.between(entry(before), after.blocks()).orElseThrow();

        assertThat(delta.base()).isEqualTo(before.blocksHash());
        assertThat(delta.prefix()).isEqualTo(300);
        assertThat(delta.suffix()).isEqualTo(BLOCKS - 300);
        assertThat(delta.middle()).hasSize(3);
        assertThat(delta.applyTo(before.blocks())).isEqualTo(after.blocks());
    }

    @Test
    void between_sameList_keepsEverything() {
        FileRecord r = SampleRecords.file("big", BLOCKS);

        BlockListDelta delta = BlockListDelta.between(entry(r), r.blocks()).orElseThrow();

        assertThat(delta.prefix() + delta.suffix()).isEqualTo(BLOCKS);
        assertThat(delta.middle()).isEmpty();
        assertThat(delta.applyTo(r.blocks())).isEqualTo(r.blocks());
    }

    @Test
    void between_mostBlocksChanged_none() {
        FileRecord before = SampleRecords.file("big", BLOCKS);
        FileRecord other = SampleRecords.file("other", BLOCKS);

        assertThat(BlockListDelta.between(entry(before), other.blocks())).isEmpty();
    }

    @Test
    void between_truncatedAndAppended_applyReproducesTheTarget() {
        FileRecord before = SampleRecords.file("big", BLOCKS);
        FileRecord shorter = new FileRecord("big", before.type(), 900 * 1000L, 0644, 1, before.blocks().subList(0, 900),
                null, "", false, before.version(), before.hlc(), 1, 2);
        FileRecord longer = inserted(before, BLOCKS, 10, 5);

        assertThat(BlockListDelta.between(entry(before), shorter.blocks()).orElseThrow().applyTo(before.blocks()))
                .isEqualTo(shorter.blocks());
        assertThat(BlockListDelta.between(entry(before), longer.blocks()).orElseThrow().applyTo(before.blocks()))
                .isEqualTo(longer.blocks());
    }

    @Test
    void memory_forgetsSmallListsDeletionsAndTheOldestBeyondItsBound() {
        BlockListMemory memory = new BlockListMemory();
        memory.remember("f", SampleRecords.file("small", BlockListMemory.MIN_BLOCKS - 1));
        memory.remember("f", SampleRecords.file("big", BLOCKS));
        assertThat(memory.get("f", "small")).isNull();
        assertThat(memory.get("f", "big").blocks()).hasSize(BLOCKS);
        assertThat(memory.get("g", "big")).as("another folder").isNull();

        memory.remember("f", SampleRecords.deleted("big"));
        assertThat(memory.get("f", "big")).isNull();
        assertThat(memory.blocks()).isZero();

        int each = BlockListMemory.MAX_BLOCKS / 4;
        for (int i = 0; i < 5; i++) {
            memory.remember("f", SampleRecords.file("f" + i, each));
        }
        assertThat(memory.get("f", "f0")).as("the oldest").isNull();
        assertThat(memory.get("f", "f4")).isNotNull();
        assertThat(memory.blocks()).isEqualTo(4L * each);
    }

    @Test
    void wire_changedRecordOnTheSameConnection_sentAsItsChangeAndDecodedWhole() {
        WireCodec.sendBlockListDeltas(sender.pipeline());
        FileRecord before = SampleRecords.file("big", BLOCKS);
        FileRecord after = inserted(before, 500, 2, 4096);

        int fullBytes = send(before);
        Message.IndexUpdate first = receiver.readInbound();
        int changeBytes = send(after);
        Message.IndexUpdate second = receiver.readInbound();

        assertThat(first.records()).containsExactly(before);
        assertThat(second.records()).containsExactly(after);
        assertThat(changeBytes).isLessThan(fullBytes / 50);
    }

    @Test
    void wire_sameNameTwiceInOneMessage_bothChangesOfTheListSentBefore() {
        WireCodec.sendBlockListDeltas(sender.pipeline());
        FileRecord v1 = SampleRecords.file("big", BLOCKS);
        FileRecord v2 = inserted(v1, 100, 1, 10);
        FileRecord v3 = inserted(v2, 900, 1, 20);
        send(v1);
        receiver.readInbound();

        assertThat(sender.writeOutbound(new Message.IndexUpdate("f", List.of(v2, v3)))).isTrue();
        receiver.writeInbound((Object) sender.readOutbound());
        Message.IndexUpdate both = receiver.readInbound();
        send(inserted(v3, 500, 1, 30));
        Message.IndexUpdate next = receiver.readInbound();

        assertThat(both.records()).containsExactly(v2, v3);
        assertThat(next.records()).containsExactly(inserted(v3, 500, 1, 30));
    }

    @Test
    void wire_withoutSendDeltas_wholeListsOnly() {
        FileRecord before = SampleRecords.file("big", BLOCKS);

        int fullBytes = send(before);
        int againBytes = send(inserted(before, 500, 2, 4096));

        assertThat(againBytes).isGreaterThan(fullBytes / 2);
    }

    @Test
    void decode_changeToAListNotSentOnTheConnection_rejected() {
        FileRecord after = inserted(SampleRecords.file("big", BLOCKS), 500, 2, 4096);

        ProtocolException e = CodecTesting.rejection(changeFrame(after, SampleRecords.file("big", BLOCKS), 0));

        assertThat(e.kind()).isEqualTo(ProtocolException.Kind.INVALID_BLOCKS);
        assertThat(e).hasMessageContaining("not sent on this connection");
    }

    @Test
    void decode_changeThatDoesNotAddUpToTheFile_rejectedAndNothingDelivered() {
        FileRecord before = SampleRecords.file("big", BLOCKS);
        FileRecord after = inserted(before, 500, 2, 4096);
        send(before);
        receiver.readInbound();

        Throwable thrown = catchThrowable(
                () -> receiver.writeInbound(changeFrame(after, before, 1)));

        assertThat(thrown).hasRootCauseInstanceOf(ProtocolException.class)
                .rootCause().hasMessageContaining("blocks cover");
        assertThat((Object) receiver.readInbound()).isNull();
    }

    /** Sends one record through the codec pair; returns the frame's size in bytes. */
    private int send(FileRecord record) {
        assertThat(sender.writeOutbound(new Message.IndexUpdate("f", List.of(record)))).isTrue();
        ByteBuf bytes = sender.readOutbound();
        int size = bytes.readableBytes();
        receiver.writeInbound(bytes);
        return size;
    }

    /** A frame carrying {@code after} as a change to {@code base} that keeps {@code fewer} blocks too few. */
    private static ByteBuf changeFrame(FileRecord after, FileRecord base, int fewer) {
        BlockListDelta d = BlockListDelta.between(entry(base), after.blocks()).orElseThrow();
        FileInfo info = FileInfoCodec.encode(after,
                new BlockListDelta(d.base(), d.prefix() - fewer, d.suffix(), d.middle()));
        return CodecTesting.frame(MessageType.INDEX_UPDATE, IndexUpdate.newBuilder().setFolder("f").addFiles(info).build());
    }
}
