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
        public static final int PROTOCOL_VERSION = 1;

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
}
