package org.meshfold.protocol.codec;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.meshfold.index.FileRecord;
import org.meshfold.protocol.Message;
import org.meshfold.protocol.codec.pb.Close;
import org.meshfold.protocol.codec.pb.ClusterConfig;
import org.meshfold.protocol.codec.pb.Folder;
import org.meshfold.protocol.codec.pb.Hello;
import org.meshfold.protocol.codec.pb.IndexUpdate;
import org.meshfold.protocol.codec.pb.PairChallenge;
import org.meshfold.protocol.codec.pb.PairProof;
import org.meshfold.protocol.codec.pb.PairRequest;
import org.meshfold.protocol.codec.pb.PairResult;
import org.meshfold.protocol.codec.pb.Ping;
import org.meshfold.protocol.codec.pb.Pong;
import org.meshfold.protocol.codec.pb.Request;
import org.meshfold.protocol.codec.pb.Response;

/**
 * Encodes a {@link Message} into one frame: the length prefix and the Envelope are written
 * straight into a single buffer of exactly the right size, so a block in a Response is copied
 * once, from its byte[] into the outgoing buffer. The bytes are the same as protobuf's own
 * serialization of the equivalent {@code Envelope}.
 */
final class WireEncoder {
    private WireEncoder() {
    }

    static ByteBuf encode(Message message, ByteBufAllocator alloc) {
        return encode(message, alloc, new BlockListMemory(), false);
    }

    /**
     * As {@link #encode(Message, ByteBufAllocator)} for one connection: {@code sent} holds the block
     * lists sent on it so far, and with {@code deltas} a record changing one of them is written as
     * the change.
     */
    static ByteBuf encode(Message message, ByteBufAllocator alloc, BlockListMemory sent, boolean deltas) {
        return switch (message) {
            case Message.Hello h -> frame(alloc, MessageType.HELLO, Hello.newBuilder()
                    .setDeviceName(h.deviceName()).setClientName(h.clientName())
                    .setClientVersion(h.clientVersion()).setProtocolVersion(h.protocolVersion()).build());
            case Message.ClusterConfigMsg c -> frame(alloc, MessageType.CLUSTER_CONFIG, clusterConfig(c));
            case Message.IndexUpdate u -> indexUpdate(alloc, u, sent, deltas);
            case Message.Request r -> frame(alloc, MessageType.REQUEST, Request.newBuilder()
                    .setId(r.id()).setFolder(r.request().folderId()).setName(r.request().name())
                    .setOffset(r.request().offset()).setSize(r.request().size())
                    .setHash(UnsafeByteOperations.unsafeWrap(r.request().hash().bytes())).build());
            case Message.Response r -> frame(alloc, MessageType.RESPONSE, Response.newBuilder()
                    .setId(r.id()).setCode(r.code()).setData(UnsafeByteOperations.unsafeWrap(r.data())).build());
            case Message.Ping p -> frame(alloc, MessageType.PING, Ping.newBuilder().setNonce(p.nonce()).build());
            case Message.Pong p -> frame(alloc, MessageType.PONG, Pong.newBuilder().setNonce(p.nonce()).build());
            case Message.Close c -> frame(alloc, MessageType.CLOSE, Close.newBuilder().setReason(c.reason()).build());
            case Message.PairRequest r -> frame(alloc, MessageType.PAIR_REQUEST, PairRequest.newBuilder()
                    .setFolder(r.folderId()).setJoinerNonce(UnsafeByteOperations.unsafeWrap(r.joinerNonce()))
                    .setDeviceName(r.deviceName()).build());
            case Message.PairChallenge c -> frame(alloc, MessageType.PAIR_CHALLENGE, PairChallenge.newBuilder()
                    .setInviterNonce(UnsafeByteOperations.unsafeWrap(c.inviterNonce())).build());
            case Message.PairProof p -> frame(alloc, MessageType.PAIR_PROOF, PairProof.newBuilder()
                    .setHmac(UnsafeByteOperations.unsafeWrap(p.hmac())).build());
            case Message.PairResult r -> frame(alloc, MessageType.PAIR_RESULT, PairResult.newBuilder()
                    .setOk(r.ok()).setReason(r.reason()).setFolder(r.folderId()).setFolderLabel(r.folderLabel()).build());
        };
    }

    private static ClusterConfig clusterConfig(Message.ClusterConfigMsg c) {
        ClusterConfig.Builder b = ClusterConfig.newBuilder();
        for (var f : c.config().folders()) {
            b.addFolders(Folder.newBuilder().setId(f.id()).setLabel(f.label()).setEpoch(f.epoch())
                    .setMaxSequence(f.maxSequence()).setSeenEpoch(f.seenEpoch()).setSeenSequence(f.seenSequence()));
        }
        return b.build();
    }

    private static ByteBuf indexUpdate(ByteBufAllocator alloc, Message.IndexUpdate u, BlockListMemory sent,
            boolean deltas) {
        IndexUpdate.Builder b = IndexUpdate.newBuilder().setFolder(u.folder());
        for (FileRecord r : u.records()) {
            BlockListMemory.Entry base = deltas ? sent.get(u.folder(), r.name()) : null;
            BlockListDelta delta = base == null || r.blocks().size() < BlockListMemory.MIN_BLOCKS ? null
                    : BlockListDelta.between(base, r.blocks()).orElse(null);
            b.addFiles(FileInfoCodec.encode(r, delta));
        }
        byte[] raw = b.build().toByteArray();
        byte[] compressed = IndexCompression.compressIfWorthIt(raw);
        ByteBuf frame = compressed == null ? frame(alloc, MessageType.INDEX_UPDATE, raw, 0)
                : frame(alloc, MessageType.INDEX_UPDATE, compressed, raw.length);
        // Only once the frame exists: a message that fails to encode is not sent, so the peer never sees it.
        u.records().forEach(r -> sent.remember(u.folder(), r));
        return frame;
    }

    private static ByteBuf frame(ByteBufAllocator alloc, int type, MessageLite payload) {
        int payloadSize = payload.getSerializedSize();
        return write(alloc, type, payloadSize, 0, out -> payload.writeTo(out));
    }

    private static ByteBuf frame(ByteBufAllocator alloc, int type, byte[] payload, int lz4Size) {
        return write(alloc, type, payload.length, lz4Size, out -> out.writeRawBytes(payload));
    }

    private static ByteBuf write(ByteBufAllocator alloc, int type, int payloadSize, int lz4Size, PayloadWriter body) {
        long envelopeSize = CodedOutputStream.computeUInt32Size(1, type)
                + (payloadSize == 0 ? 0 : CodedOutputStream.computeTagSize(2)
                        + CodedOutputStream.computeUInt32SizeNoTag(payloadSize) + (long) payloadSize)
                + (lz4Size == 0 ? 0 : CodedOutputStream.computeUInt32Size(3, lz4Size));
        if (envelopeSize > WireCodec.MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("message of type " + type + " encodes to " + envelopeSize
                    + " bytes, more than the " + WireCodec.MAX_FRAME_BYTES + "-byte frame limit");
        }
        int size = (int) envelopeSize;
        ByteBuf buf = alloc.buffer(4 + size, 4 + size);
        try {
            buf.writeInt(size);
            buf.writerIndex(4 + size);
            // A freshly allocated buffer is one memory region, so its NIO view shares that memory.
            ByteBuffer target = buf.nioBuffer(4, size);
            CodedOutputStream out = CodedOutputStream.newInstance(target);
            out.writeUInt32(1, type);
            if (payloadSize != 0) {
                out.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(payloadSize);
                body.writeTo(out);
            }
            if (lz4Size != 0) {
                out.writeUInt32(3, lz4Size);
            }
            out.flush();
            out.checkNoSpaceLeft();
            return buf;
        } catch (IOException e) {
            buf.release();
            throw new UncheckedIOException("cannot encode message of type " + type, e);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    /** Writes the payload bytes of a frame. */
    private interface PayloadWriter {
        void writeTo(CodedOutputStream out) throws IOException;
    }
}
