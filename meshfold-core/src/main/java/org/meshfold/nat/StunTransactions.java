package org.meshfold.nat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Outstanding client transactions: sends a request, retransmits it on the scheduler, and
 * completes it with the response whose transaction id and sender match. Thread-safe: requests
 * may start on any thread, responses arrive on the socket's reader thread, timers run on the
 * scheduler; the future completes on whichever of those finishes the transaction.
 */
final class StunTransactions {
    /** A response with its raw bytes, which MESSAGE-INTEGRITY is checked over. */
    record Response(StunMessage message, byte[] raw) {
    }

    private final DatagramPort port;
    private final ScheduledExecutorService scheduler;
    private final StunRetransmission retransmission;
    private final Map<TransactionId, Pending> pending = new ConcurrentHashMap<>();

    StunTransactions(DatagramPort port, ScheduledExecutorService scheduler, StunRetransmission retransmission) {
        this.port = port;
        this.scheduler = scheduler;
        this.retransmission = retransmission;
    }

    CompletableFuture<Response> start(StunMessage request, byte[] encoded, InetSocketAddress server) {
        Pending p = new Pending(request, encoded, server);
        pending.put(request.transactionId(), p);
        p.send();
        return p.future;
    }

    /** Completes the matching transaction; false if {@code message} answers none of ours. */
    boolean onResponse(StunMessage message, byte[] raw, InetSocketAddress sender) {
        if (message.messageClass() != StunClass.SUCCESS && message.messageClass() != StunClass.ERROR) {
            return false;
        }
        Pending p = pending.get(message.transactionId());
        if (p == null || !p.server.equals(sender) || p.request.method() != message.method()
                || !pending.remove(message.transactionId(), p)) {
            return false;
        }
        p.cancelTimer();
        p.future.complete(new Response(message, raw));
        return true;
    }

    /** Fails every outstanding transaction, for shutdown. */
    void cancelAll(IOException cause) {
        pending.values().forEach(p -> {
            if (pending.remove(p.request.transactionId(), p)) {
                p.cancelTimer();
                p.future.completeExceptionally(cause);
            }
        });
    }

    private final class Pending {
        final StunMessage request;
        final byte[] encoded;
        final InetSocketAddress server;
        final CompletableFuture<Response> future = new CompletableFuture<>();
        private int sends;
        private ScheduledFuture<?> timer;

        Pending(StunMessage request, byte[] encoded, InetSocketAddress server) {
            this.request = request;
            this.encoded = encoded;
            this.server = server;
        }

        synchronized void send() {
            if (future.isDone()) {
                return;
            }
            if (sends == retransmission.maxSends()) {
                if (pending.remove(request.transactionId(), this)) {
                    future.completeExceptionally(new StunTimeoutException(StunMethod.name(request.method()), server, sends));
                }
                return;
            }
            try {
                port.send(ByteBuffer.wrap(encoded), server);
            } catch (IOException e) {
                pending.remove(request.transactionId(), this);
                future.completeExceptionally(e);
                return;
            }
            sends++;
            try {
                timer = scheduler.schedule(this::send, retransmission.waitAfter(sends).toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                pending.remove(request.transactionId(), this);
                future.completeExceptionally(new IOException("STUN scheduler is shut down; "
                        + StunMethod.name(request.method()) + " to " + server + " abandoned", e));
            }
        }

        synchronized void cancelTimer() {
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }
}
