package org.meshfold.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.meshfold.index.FileRecord;
import org.meshfold.replication.BlockRequest;
import org.meshfold.replication.ClusterConfig;

/**
 * One protocol message, as the rest of the code sees it (the wire classes stay in
 * {@code protocol.codec}). Messages coming from a peer have been validated by the codec.
 */
public sealed interface Message {

    /** The first message on a connection, sent by both sides right after TLS completes. */
    record Hello(String deviceName, String clientName, String clientVersion, int protocolVersion)
            implements Message {
        /** 2: index records may carry a block list as a change to one sent before on the connection. */
        public static final int PROTOCOL_VERSION = 2;
        public static final int BLOCK_LIST_DELTAS = 2;

        public Hello {
            Objects.requireNonNull(deviceName, "deviceName");
            Objects.requireNonNull(clientName, "clientName");
            Objects.requireNonNull(clientVersion, "clientVersion");
        }
    }

    record ClusterConfigMsg(ClusterConfig config) implements Message {
        public ClusterConfigMsg {
            Objects.requireNonNull(config, "config");
        }
    }

    /** Records of one folder, in the sender's sequence order. */
    record IndexUpdate(String folder, List<FileRecord> records) implements Message {
        public IndexUpdate {
            Objects.requireNonNull(folder, "folder");
            records = List.copyOf(records);
        }
    }

    record Request(long id, BlockRequest request) implements Message {
        public Request {
            Objects.requireNonNull(request, "request");
        }
    }

    /** The answer to {@link Request} {@code id}: {@code data} if {@code code} is {@link #OK}, else empty. */
    record Response(long id, int code, byte[] data) implements Message {
        public static final int OK = 0;
        public static final int ERROR = 1;
        public static final int NO_SUCH_BLOCK = 2;
        public static final int INVALID_REQUEST = 3;

        /** {@code data} is not copied: the caller hands it over. */
        public Response {
            Objects.requireNonNull(data, "data");
        }

        public static String describe(int code) {
            return switch (code) {
                case OK -> "ok";
                case ERROR -> "error";
                case NO_SUCH_BLOCK -> "no such file or block";
                case INVALID_REQUEST -> "invalid request";
                default -> "unknown code " + code;
            };
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Response r && id == r.id && code == r.code && Arrays.equals(data, r.data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, code, Arrays.hashCode(data));
        }

        @Override
        public String toString() {
            return "Response[id=" + id + ", code=" + code + ", " + data.length + " bytes]";
        }
    }

    record Ping(long nonce) implements Message {
    }

    record Pong(long nonce) implements Message {
    }

    /** Sent before closing a connection; {@code reason} says why, for the peer's log. */
    record Close(String reason) implements Message {
        public Close {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The messages of a pairing-only connection (see {@code org.meshfold.pairing.Pairing}); they
     * are refused on a connection between paired devices.
     */
    sealed interface PairingMessage extends Message {
        /** Bytes of each side's nonce. */
        int NONCE_BYTES = 32;
        /** Bytes of the proof (HMAC-SHA256). */
        int HMAC_BYTES = 32;
    }

    /** Joiner to inviter: asks to join {@code folderId}, with a fresh 32-byte nonce. */
    record PairRequest(String folderId, byte[] joinerNonce, String deviceName) implements PairingMessage {
        public PairRequest {
            Objects.requireNonNull(folderId, "folderId");
            Objects.requireNonNull(deviceName, "deviceName");
            joinerNonce = joinerNonce.clone();
        }

        @Override
        public byte[] joinerNonce() {
            return joinerNonce.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PairRequest r && folderId.equals(r.folderId)
                    && Arrays.equals(joinerNonce, r.joinerNonce) && deviceName.equals(r.deviceName);
        }

        @Override
        public int hashCode() {
            return Objects.hash(folderId, Arrays.hashCode(joinerNonce), deviceName);
        }

        @Override
        public String toString() {
            return "PairRequest[folderId=" + folderId + ", deviceName=" + deviceName + "]";
        }
    }

    /** Inviter to joiner: the inviter's fresh 32-byte nonce. */
    record PairChallenge(byte[] inviterNonce) implements PairingMessage {
        public PairChallenge {
            inviterNonce = inviterNonce.clone();
        }

        @Override
        public byte[] inviterNonce() {
            return inviterNonce.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PairChallenge c && Arrays.equals(inviterNonce, c.inviterNonce);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(inviterNonce);
        }

        @Override
        public String toString() {
            return "PairChallenge";
        }
    }

    /** Joiner to inviter: the 32-byte HMAC proving the joiner holds the invite's secret. */
    record PairProof(byte[] hmac) implements PairingMessage {
        public PairProof {
            hmac = hmac.clone();
        }

        @Override
        public byte[] hmac() {
            return hmac.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PairProof p && Arrays.equals(hmac, p.hmac);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(hmac);
        }

        @Override
        public String toString() {
            return "PairProof";
        }
    }

    /**
     * Inviter to joiner, the last pairing message: {@code ok} with the folder the joiner is now
     * paired for, or not ok with {@code reason} for the joiner's user.
     */
    record PairResult(boolean ok, String reason, String folderId, String folderLabel) implements PairingMessage {
        public PairResult {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(folderId, "folderId");
            Objects.requireNonNull(folderLabel, "folderLabel");
        }

        public static PairResult accepted(String folderId, String folderLabel) {
            return new PairResult(true, "", folderId, folderLabel);
        }

        public static PairResult refused(String reason) {
            return new PairResult(false, reason, "", "");
        }
    }
}
