package org.meshfold.replication;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.meshfold.identity.DeviceId;
import org.meshfold.index.FileRecord;

/**
 * A connection between two in-process devices: each side gets a {@link Peer} for the other, and
 * calls are delivered asynchronously to the other side's {@link PeerListener}. Disconnecting fails
 * pending requests and reports the disconnection to both sides; reconnecting is a new link.
 */
final class PeerLink {
    private final InProcessNetwork net;
    private final End a;
    private final End b;
    private volatile boolean open = true;

    private PeerLink(InProcessNetwork net, DeviceId idA, PeerListener listenerA, DeviceId idB, PeerListener listenerB) {
        this.net = net;
        this.a = new End(idB, listenerB);
        this.b = new End(idA, listenerA);
        a.other = b;
        b.other = a;
    }

    /** A connection between two devices that is not yet reported to them; see {@link #start}. */
    static PeerLink create(InProcessNetwork net, DeviceId idA, PeerListener listenerA, DeviceId idB,
                           PeerListener listenerB) {
        return new PeerLink(net, idA, listenerA, idB, listenerB);
    }

    /** Reports the connection to both sides, as after a successful handshake. */
    PeerLink start() {
        // Both ends learn of the connection before any message on it is handled.
        net.deliver(() -> {
            b.localListener().connected(b);
            a.localListener().connected(a);
        });
        return this;
    }

    /** The peer that {@code self}'s side sees. */
    End peerSeenBy(DeviceId self) {
        return a.remoteId.equals(self) ? b : a;
    }

    boolean isOpen() {
        return open;
    }

    void disconnect(String reason) {
        if (!open) {
            return;
        }
        open = false;
        a.failPending(reason);
        b.failPending(reason);
        Exception cause = new Exception("connection closed: " + reason);
        net.deliver(() -> a.localListener().disconnected(a, cause));
        net.deliver(() -> b.localListener().disconnected(b, cause));
    }

    /**
     * One side's view of the other device. {@code remoteId}/{@code remoteListener} are the
     * device this peer stands for.
     */
    final class End implements Peer {
        final DeviceId remoteId;
        final PeerListener remoteListener;
        End other;
        /** Applied to every block this peer sends; lets tests corrupt data. */
        volatile UnaryOperator<byte[]> tamper = UnaryOperator.identity();
        /** When set, this peer answers every block request with an error. */
        volatile boolean refuseBlocks;
        final AtomicLong blocksRequested = new AtomicLong();
        final AtomicLong blocksServed = new AtomicLong();
        final AtomicLong indexRecordsSent = new AtomicLong();
        volatile String closeReason;
        private final Set<CompletableFuture<byte[]>> pending = ConcurrentHashMap.newKeySet();

        End(DeviceId remoteId, PeerListener remoteListener) {
            this.remoteId = remoteId;
            this.remoteListener = remoteListener;
        }

        PeerListener localListener() {
            return other.remoteListener;
        }

        @Override
        public DeviceId deviceId() {
            return remoteId;
        }

        @Override
        public String describePath() {
            return "in-process";
        }

        @Override
        public void sendClusterConfig(ClusterConfig config) {
            send(() -> remoteListener.clusterConfig(other, config));
        }

        @Override
        public void sendIndex(String folderId, List<FileRecord> records) {
            other.indexRecordsSent.addAndGet(records.size());
            send(() -> remoteListener.index(other, folderId, records));
        }

        @Override
        public CompletableFuture<byte[]> request(BlockRequest request) {
            CompletableFuture<byte[]> result = new CompletableFuture<>();
            if (!open) {
                return CompletableFuture.failedFuture(new IllegalStateException("connection closed"));
            }
            pending.add(result);
            result.whenComplete((d, e) -> pending.remove(result));
            if (!open) {
                result.completeExceptionally(new IllegalStateException("connection closed"));
                return result;
            }
            blocksRequested.incrementAndGet();
            if (refuseBlocks) {
                net.deliver(() -> result.completeExceptionally(new BlockUnavailableException(request, "refused")));
                return result;
            }
            send(() -> remoteListener.blockRequested(other, request).whenComplete((data, error) -> net.deliver(() -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    blocksServed.incrementAndGet();
                    result.complete(tamper.apply(data));
                }
            })));
            return result;
        }

        @Override
        public void close(String reason) {
            closeReason = reason;
            disconnect(reason);
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        private void send(Runnable message) {
            if (open) {
                net.deliver(() -> {
                    if (open) {
                        message.run();
                    }
                });
            }
        }

        private void failPending(String reason) {
            for (CompletableFuture<byte[]> f : List.copyOf(pending)) {
                f.completeExceptionally(new IllegalStateException("connection closed: " + reason));
            }
        }
    }
}
