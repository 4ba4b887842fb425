package org.meshfold.protocol.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.meshfold.index.FileRecord;
import org.meshfold.protocol.Message;
import org.meshfold.protocol.ProtocolException;
import org.meshfold.protocol.ProtocolException.Kind;
import org.meshfold.protocol.codec.pb.Close;
import org.meshfold.protocol.codec.pb.ClusterConfig;
import org.meshfold.protocol.codec.pb.Envelope;
import org.meshfold.protocol.codec.pb.FileInfo;
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
import org.meshfold.replication.BlockRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one frame into a validated {@link Message}.
 *
 * <p>Parsing aliases the frame's memory (protobuf aliasing) so the envelope payload and block
 * data are not copied on the way; the only copy of a block is into the byte[] of the resulting
 * {@link Message.Response}. Nothing aliased escapes {@link #decode}: the frame is released after it.
 */
final class WireDecoder {
    private static final Logger log = LoggerFactory.getLogger(WireDecoder.class);
    static final int MAX_RECORDS = 100_000;
    static final int MAX_FOLDERS = 10_000;
    static final int MAX_TEXT_CHARS = 1024;

    private final int maxFrameBytes;
    /** Block lists received on this connection, for records that carry only a change to one. */
    private final BlockListMemory received = new BlockListMemory();

    WireDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The message in {@code frame}, or null for a type this version does not know (skipped). */
    Message decode(ByteBuf frame) throws ProtocolException {
        Envelope envelope = parseEnvelope(frame);
        int type = envelope.getType();
        if (type < MessageType.HELLO || type > MessageType.PAIR_RESULT) {
            log.debug("skipping frame of unknown message type {} ({} bytes)", Integer.toUnsignedString(type),
                    frame.readableBytes());
            return null;
        }
        CodedInputStream in = payloadInput(envelope);
        try {
            return switch (type) {
                case MessageType.HELLO -> hello(Hello.parseFrom(in));
                case MessageType.CLUSTER_CONFIG -> clusterConfig(ClusterConfig.parseFrom(in));
                case MessageType.INDEX_UPDATE -> indexUpdate(IndexUpdate.parseFrom(in));
                case MessageType.REQUEST -> request(Request.parseFrom(in));
                case MessageType.RESPONSE -> response(Response.parseFrom(in));
                case MessageType.PING -> new Message.Ping(Ping.parseFrom(in).getNonce());
                case MessageType.PONG -> new Message.Pong(Pong.parseFrom(in).getNonce());
                case MessageType.CLOSE -> new Message.Close(FieldRules.printable(Close.parseFrom(in).getReason(), MAX_TEXT_CHARS));
                case MessageType.PAIR_REQUEST -> PairingDecoder.request(PairRequest.parseFrom(in));
                case MessageType.PAIR_CHALLENGE -> PairingDecoder.challenge(PairChallenge.parseFrom(in));
                case MessageType.PAIR_PROOF -> PairingDecoder.proof(PairProof.parseFrom(in));
                default -> PairingDecoder.result(PairResult.parseFrom(in));
            };
        } catch (IOException e) {
            throw new ProtocolException(Kind.MALFORMED, "malformed message of type " + type + ": " + e.getMessage(), e);
        }
    }

    private static Envelope parseEnvelope(ByteBuf frame) throws ProtocolException {
        try {
            CodedInputStream in = CodedInputStream.newInstance(frame.nioBuffer());
            in.enableAliasing(true);
            return Envelope.parseFrom(in);
        } catch (IOException e) {
            throw new ProtocolException(Kind.MALFORMED, "frame of " + frame.readableBytes()
                    + " bytes is not a message envelope: " + e.getMessage(), e);
        }
    }

    private CodedInputStream payloadInput(Envelope envelope) throws ProtocolException {
        long lz4Size = Integer.toUnsignedLong(envelope.getLz4Size());
        ByteString payload = lz4Size == 0 ? envelope.getPayload()
                : UnsafeByteOperations.unsafeWrap(IndexCompression.decompress(envelope.getPayload(), lz4Size, maxFrameBytes));
        CodedInputStream in = payload.newCodedInput();
        in.enableAliasing(true);
        return in;
    }

    private static Message hello(Hello h) throws ProtocolException {
        if (h.getProtocolVersion() < 1) {
            throw new ProtocolException(Kind.INVALID_HELLO, "hello without a protocol version");
        }
        return new Message.Hello(
                FieldRules.text(h.getDeviceName(), MAX_TEXT_CHARS, Kind.INVALID_HELLO, "device name"),
                FieldRules.text(h.getClientName(), MAX_TEXT_CHARS, Kind.INVALID_HELLO, "client name"),
                FieldRules.text(h.getClientVersion(), MAX_TEXT_CHARS, Kind.INVALID_HELLO, "client version"),
                h.getProtocolVersion());
    }

    private static Message clusterConfig(ClusterConfig c) throws ProtocolException {
        if (c.getFoldersCount() > MAX_FOLDERS) {
            throw new ProtocolException(Kind.INVALID_FOLDER, "cluster config lists " + c.getFoldersCount()
                    + " folders (max " + MAX_FOLDERS + ")");
        }
        List<org.meshfold.replication.ClusterConfig.Folder> folders = new ArrayList<>(c.getFoldersCount());
        for (Folder f : c.getFoldersList()) {
            folders.add(new org.meshfold.replication.ClusterConfig.Folder(FieldRules.folderId(f.getId()),
                    FieldRules.text(f.getLabel(), MAX_TEXT_CHARS, Kind.INVALID_FOLDER, "label of folder " + f.getId()),
                    f.getEpoch(), f.getMaxSequence(), f.getSeenEpoch(), f.getSeenSequence()));
        }
        return new Message.ClusterConfigMsg(new org.meshfold.replication.ClusterConfig(folders));
    }

    private Message indexUpdate(IndexUpdate u) throws ProtocolException {
        String folder = FieldRules.folderId(u.getFolder());
        if (u.getFilesCount() > MAX_RECORDS) {
            throw new ProtocolException(Kind.TOO_MANY_RECORDS, "index update for folder " + folder + " has "
                    + u.getFilesCount() + " records (max " + MAX_RECORDS + ")");
        }
        List<FileRecord> records = new ArrayList<>(u.getFilesCount());
        for (FileInfo f : u.getFilesList()) {
            records.add(FileInfoCodec.decode(f, name -> received.get(folder, name)));
        }
        // As the sender did: a whole message is remembered once it is known to be valid.
        records.forEach(r -> received.remember(folder, r));
        return new Message.IndexUpdate(folder, records);
    }

    private static Message request(Request r) throws ProtocolException {
        String folder = FieldRules.folderId(r.getFolder());
        String name = FieldRules.name(r.getName());
        if (r.getOffset() < 0 || r.getOffset() > FileInfoCodec.MAX_FILE_SIZE) {
            throw new ProtocolException(Kind.INVALID_REQUEST, "request " + r.getId() + " for '" + name
                    + "' has offset " + Long.toUnsignedString(r.getOffset()) + " outside 0..2^50");
        }
        if (r.getSize() < 1 || r.getSize() > WireCodec.MAX_BLOCK_SIZE) {
            throw new ProtocolException(Kind.INVALID_REQUEST, "request " + r.getId() + " for '" + name
                    + "' asks for " + Integer.toUnsignedString(r.getSize()) + " bytes (must be 1.."
                    + WireCodec.MAX_BLOCK_SIZE + ")");
        }
        var hash = FieldRules.hash(r.getHash(), Kind.INVALID_REQUEST, "request " + r.getId() + ": hash");
        return new Message.Request(r.getId(), new BlockRequest(folder, name, r.getOffset(), r.getSize(), hash));
    }

    private static Message response(Response r) throws ProtocolException {
        if (r.getData().size() > WireCodec.MAX_BLOCK_SIZE) {
            throw new ProtocolException(Kind.INVALID_RESPONSE, "response " + r.getId() + " carries "
                    + r.getData().size() + " bytes (max " + WireCodec.MAX_BLOCK_SIZE + ")");
        }
        return new Message.Response(r.getId(), r.getCode(), r.getData().toByteArray());
    }
}
