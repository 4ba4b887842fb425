package org.meshfold.nat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * Learns this device's server-reflexive address (RFC 8489 Binding) through the shared socket.
 * Requests carry FINGERPRINT so the socket's demultiplexer can tell them apart from other
 * traffic. Thread-safe; futures complete on the socket's reader thread or the scheduler.
 */
public final class StunClient {
    private final StunTransactions transactions;
    private final RandomGenerator random;

    /**
     * @param random source of transaction ids; RFC 8489 wants them unpredictable, so pass a
     *               SecureRandom outside tests
     */
    public StunClient(DatagramPort port, ScheduledExecutorService scheduler, StunRetransmission retransmission,
            RandomGenerator random) {
        this.transactions = new StunTransactions(port, scheduler, retransmission);
        this.random = random;
    }

    /**
     * Asks one server for our address as it sees it. Fails with {@link StunTimeoutException},
     * {@link StunErrorResponseException} or a {@link StunFormatException} for a response that
     * lacks a mapped address.
     */
    public CompletableFuture<InetSocketAddress> bind(InetSocketAddress server) {
        StunMessage request = new StunMessage(StunClass.REQUEST, StunMethod.BINDING, TransactionId.random(random),
                List.of());
        return transactions.start(request, StunCodec.encode(request, null, true), server).thenCompose(r -> {
            StunMessage m = r.message();
            if (m.messageClass() == StunClass.ERROR) {
                return CompletableFuture.failedFuture(new StunErrorResponseException(server, m, ""));
            }
            return m.address(StunAttributeType.XOR_MAPPED_ADDRESS).or(() -> m.address(StunAttributeType.MAPPED_ADDRESS))
                    .map(CompletableFuture::completedFuture)
                    .orElseGet(() -> CompletableFuture.failedFuture(new StunFormatException.BadAttribute(
                            "Binding response from " + server + " has no (XOR-)MAPPED-ADDRESS")));
        });
    }

    /**
     * Asks every server at once and completes with the first address learned; fails only when
     * all fail, with each server's failure attached as suppressed.
     */
    public CompletableFuture<InetSocketAddress> reflexiveAddress(List<InetSocketAddress> servers) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no STUN servers configured");
        }
        CompletableFuture<InetSocketAddress> first = new CompletableFuture<>();
        AtomicInteger failures = new AtomicInteger();
        List<Throwable> causes = new ArrayList<>();
        for (InetSocketAddress server : servers) {
            bind(server).whenComplete((address, error) -> {
                if (error == null) {
                    first.complete(address);
                    return;
                }
                synchronized (causes) {
                    causes.add(error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error);
                }
                if (failures.incrementAndGet() == servers.size()) {
                    java.io.IOException summary = new java.io.IOException(
                            "no STUN server of " + servers + " answered with our address");
                    synchronized (causes) {
                        causes.forEach(summary::addSuppressed);
                    }
                    first.completeExceptionally(summary);
                }
            });
        }
        return first;
    }

    /**
     * Offers a received datagram; returns true if it was a response to one of our requests
     * (consumed), false otherwise, including malformed STUN, which the caller drops.
     */
    public boolean onDatagram(ByteBuffer datagram, InetSocketAddress sender) {
        if (!StunCodec.looksLikeStun(datagram)) {
            return false;
        }
        byte[] raw = new byte[datagram.remaining()];
        datagram.duplicate().get(raw);
        try {
            return transactions.onResponse(StunCodec.decode(raw), raw, sender);
        } catch (StunFormatException e) {
            return false;
        }
    }
}
