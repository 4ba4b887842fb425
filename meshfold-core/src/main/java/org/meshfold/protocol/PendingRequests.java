package org.meshfold.protocol;

import io.netty.channel.Channel;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.meshfold.identity.DeviceId;
import org.meshfold.protocol.ProtocolException.Kind;
import org.meshfold.replication.BlockRequest;

/** Our block requests awaiting the peer's Response, by request id. Thread-safe. */
final class PendingRequests {
    /** A request registered with the id to send it under. */
    record Started(long id, CompletableFuture<byte[]> future) {
    }

    /** An unanswered request and the future its answer completes. */
    record Pending(BlockRequest request, CompletableFuture<byte[]> future) {
    }

    private final DeviceId peer;
    private final AtomicLong ids = new AtomicLong();
    /** Requests with ids up to this one were handed out by {@link #takeUnshared}. */
    private final AtomicLong sharedUpTo = new AtomicLong();
    private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
    private volatile Throwable closed;

    PendingRequests(DeviceId peer) {
        this.peer = peer;
    }

    /**
     * Registers {@code request} and sends it on {@code channel}; the future fails with a
     * {@link PeerClosedException} naming {@code where} if the write fails.
     */
    CompletableFuture<byte[]> send(Channel channel, BlockRequest request, Object where) {
        Started started = start(request);
        channel.writeAndFlush(new Message.Request(started.id(), request)).addListener(f -> {
            if (!f.isSuccess()) {
                fail(started.id(), new PeerClosedException("cannot send request to " + where, f.cause()));
            }
        });
        return started.future();
    }

    Started start(BlockRequest request) {
        long id = ids.incrementAndGet();
        CompletableFuture<byte[]> future = new CompletableFuture<>();
        pending.put(id, new Pending(request, future));
        Throwable cause = closed;
        if (cause != null) {
            fail(id, cause);
        }
        return new Started(id, future);
    }

    void fail(long id, Throwable cause) {
        Pending p = pending.remove(id);
        if (p != null) {
            p.future.completeExceptionally(cause);
        }
    }

    /** Completes request {@code id}; the peer answering an id we never sent is a protocol violation. */
    void complete(Message.Response response) throws ProtocolException {
        Pending p = pending.remove(response.id());
        if (p == null) {
            throw new ProtocolException(Kind.UNEXPECTED_MESSAGE, "response to unknown request id " + response.id());
        }
        if (response.code() == Message.Response.OK) {
            p.future.complete(response.data());
        } else {
            p.future.completeExceptionally(new BlockRequestFailedException(peer, p.request, response.code()));
        }
    }

    /** Fails every pending request and every later one with {@code cause}. */
    void closeAll(Throwable cause) {
        closed = cause;
        for (Long id : pending.keySet()) {
            fail(id, cause);
        }
    }

    /**
     * The oldest unanswered requests, at most {@code n}, that this method has not returned before:
     * the caller asks them elsewhere too. They stay here, and whichever answer comes first
     * completes the future (a later one changes nothing).
     */
    synchronized List<Pending> takeUnshared(int n) {
        long from = sharedUpTo.get();
        List<Long> oldest = pending.keySet().stream().filter(id -> id > from).sorted().limit(n).toList();
        if (!oldest.isEmpty()) {
            sharedUpTo.set(oldest.getLast());
        }
        return oldest.stream().map(pending::get).filter(Objects::nonNull).toList();
    }

    int size() {
        return pending.size();
    }
}
