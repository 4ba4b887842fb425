package org.meshfold.discovery.rendezvous;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.meshfold.discovery.rendezvous.pb.Frame;
import org.meshfold.identity.DeviceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device end of a rendezvous session: matches answers to requests by id, turns server pushes
 * into {@link RendezvousListener} calls, and fails everything pending when the session ends.
 * Reads run on the channel's event loop; {@link #request} may be called from any thread.
 */
final class ClientHandler extends SimpleChannelInboundHandler<Frame> {
    private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);

    private final RendezvousUrl url;
    private final RendezvousListener listener;
    private final CompletableFuture<InetSocketAddress> ready = new CompletableFuture<>();
    private final Map<Integer, CompletableFuture<Frame>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger lastId = new AtomicInteger();
    private volatile Channel channel;
    private volatile Throwable failure;

    ClientHandler(RendezvousUrl url, RendezvousListener listener) {
        this.url = url;
        this.listener = listener;
    }

    CompletableFuture<InetSocketAddress> ready() {
        return ready;
    }

    Channel channel() {
        return channel;
    }

    CompletableFuture<Frame> request(Frame.Builder frame) {
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            return CompletableFuture.failedFuture(ended());
        }
        int id = lastId.updateAndGet(i -> i == Integer.MAX_VALUE ? 1 : i + 1);
        CompletableFuture<Frame> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ch.writeAndFlush(frame.setRequestId(id).build()).addListener(f -> {
            if (!f.isSuccess() && pending.remove(id) != null) {
                answer.completeExceptionally(new IOException("cannot send to rendezvous server " + url + ": "
                        + f.cause().getMessage(), f.cause()));
            }
        });
        return answer;
    }

    void close() {
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        if (frame.getRequestId() != 0) {
            CompletableFuture<Frame> answer = pending.remove(frame.getRequestId());
            if (answer != null) {
                answer.complete(frame);
            }
            return;
        }
        try {
            switch (frame.getBodyCase()) {
                case OBSERVED_ADDRESS -> ready.complete(WireAddresses.fromWire(frame.getObservedAddress().getAddress()));
                case PUNCH_OFFER -> listener.punchOffer(offer(frame));
                case PAIRING_MESSAGE -> listener.pairingMessage(DeviceId.of(frame.getPairingMessage().getFrom().toByteArray()),
                        frame.getPairingMessage().getPayload().toByteArray());
                case ERROR -> failure = new RendezvousRefusedException(
                        RendezvousRefusedException.Reason.of(frame.getError().getCode().name()),
                        "rendezvous server " + url + " ended the session: " + frame.getError().getMessage());
                default -> log.debug("ignoring an unexpected {} push from rendezvous server {}", frame.getBodyCase(), url);
            }
        } catch (IllegalArgumentException e) {
            log.warn("rendezvous server {} pushed a malformed {}: {}", url, frame.getBodyCase(), e.getMessage());
        }
    }

    private static PunchOffer offer(Frame frame) {
        var offer = frame.getPunchOffer();
        return new PunchOffer(DeviceId.of(offer.getFrom().toByteArray()), WireAddresses.fromWire(offer.getCandidatesList()),
                offer.hasFromObserved() ? Optional.of(WireAddresses.fromWire(offer.getFromObserved())) : Optional.empty(),
                Instant.ofEpochMilli(offer.getStartAtMillis()));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Throwable cause = ended();
        ready.completeExceptionally(cause);
        pending.values().forEach(f -> f.completeExceptionally(cause));
        pending.clear();
        try {
            listener.disconnected(cause);
        } catch (RuntimeException e) {
            log.warn("rendezvous listener failed on disconnect from {}", url, e);
        }
        ctx.fireChannelInactive();
    }

    private Throwable ended() {
        Throwable f = failure;
        if (f instanceof RendezvousRefusedException) {
            return f;
        }
        return new IOException("session with rendezvous server " + url + " ended"
                + (f == null ? "" : ": " + f.getMessage()), f);
    }
}
