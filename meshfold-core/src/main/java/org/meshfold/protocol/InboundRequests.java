package org.meshfold.protocol;

import io.netty.channel.Channel;
import java.io.FileNotFoundException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.meshfold.protocol.ProtocolException.Kind;
import org.meshfold.replication.Peer;
import org.meshfold.replication.PeerListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the peer's block requests with backpressure. A request is handed to the listener only
 * while the channel is writable and fewer than {@link #MAX_IN_PROGRESS} are being read, so at most
 * that many blocks sit above netty's high water mark; the rest wait here as small request records
 * until the socket drains. Reading is never paused, so two devices fetching from each other
 * cannot deadlock. Confined to the channel's event loop.
 *
 * <p>Listener failures map to response codes: {@link NoSuchFileException} or
 * {@link FileNotFoundException} to "no such block", {@link IllegalArgumentException} to "invalid
 * request", anything else to "error".
 */
final class InboundRequests {
    private static final Logger log = LoggerFactory.getLogger(InboundRequests.class);
    static final int MAX_IN_PROGRESS = 64;
    static final int MAX_QUEUED = 10_000;

    private final Channel channel;
    private final Peer peer;
    private final PeerListener listener;
    private final ArrayDeque<Message.Request> queued = new ArrayDeque<>();
    private int inProgress;
    private boolean closed;

    InboundRequests(Channel channel, Peer peer, PeerListener listener) {
        this.channel = channel;
        this.peer = peer;
        this.listener = listener;
    }

    void accept(Message.Request request) throws ProtocolException {
        if (queued.size() >= MAX_QUEUED) {
            throw new ProtocolException(Kind.TOO_MANY_REQUESTS, "more than " + MAX_QUEUED
                    + " block requests waiting to be served");
        }
        queued.add(request);
        drain();
    }

    /** Starts queued requests while the channel can take more data. */
    void drain() {
        while (!closed && !queued.isEmpty() && inProgress < MAX_IN_PROGRESS && channel.isWritable()) {
            serve(queued.poll());
        }
    }

    void close() {
        closed = true;
        queued.clear();
    }

    private void serve(Message.Request request) {
        inProgress++;
        CompletableFuture<byte[]> data;
        try {
            data = listener.blockRequested(peer, request.request());
        } catch (RuntimeException e) {
            data = CompletableFuture.failedFuture(e);
        }
        data.whenComplete((bytes, error) -> {
            try {
                channel.eventLoop().execute(() -> finish(request, bytes, error));
            } catch (RejectedExecutionException e) {
                // The network is shutting down; the connection is gone with it.
            }
        });
    }

    private void finish(Message.Request request, byte[] bytes, Throwable error) {
        inProgress--;
        if (closed) {
            return;
        }
        Message.Response response;
        if (error == null && bytes != null) {
            response = new Message.Response(request.id(), Message.Response.OK, bytes);
        } else {
            Throwable cause = unwrap(error);
            log.debug("cannot serve {} to {}: {}", request.request(), peer.deviceId().shortText(), String.valueOf(cause));
            response = new Message.Response(request.id(), codeFor(cause), new byte[0]);
        }
        channel.writeAndFlush(response, channel.voidPromise());
        drain();
    }

    static int codeFor(Throwable cause) {
        if (cause instanceof NoSuchFileException || cause instanceof FileNotFoundException) {
            return Message.Response.NO_SUCH_BLOCK;
        }
        if (cause instanceof IllegalArgumentException) {
            return Message.Response.INVALID_REQUEST;
        }
        return Message.Response.ERROR;
    }

    static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
