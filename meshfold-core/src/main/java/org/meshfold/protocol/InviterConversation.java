package org.meshfold.protocol;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.meshfold.pairing.Invite;
import org.meshfold.pairing.InviteRejectedException;
import org.meshfold.pairing.PairingProof;
import org.meshfold.pairing.PairingResponder;
import org.meshfold.transport.AuthenticatedPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inviter's end of a pairing-only connection from a device that is not paired: answers
 * PairRequest with a challenge, checks the proof, and closes after the result, after any other
 * message, or when the time is up. Such a connection never reaches the
 * {@link org.meshfold.replication.PeerListener}, and nothing about folders but the invited
 * folder's id and label is sent on it, and only to a joiner that proved the secret.
 *
 * <p>Runs on the channel's event loop.
 */
final class InviterConversation extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(InviterConversation.class);
    private static final long CLOSE_GRACE_SECONDS = 5;

    private enum State { STARTING, AWAITING_REQUEST, AWAITING_PROOF, DONE }

    private final PairingResponder responder;
    private final SecureRandom random;
    private final Duration timeout;
    private final Semaphore slots;
    private State state = State.STARTING;
    private AuthenticatedPeer joiner;
    private Message.PairRequest request;
    private byte[] inviterNonce;
    private boolean holdsSlot;
    private ScheduledFuture<?> deadline;

    /**
     * @param responder null if this device takes no joiners (the device was trusted during the
     *                  handshake and is no longer)
     * @param slots     limits how many pairing-only connections may be open at once
     */
    InviterConversation(PairingResponder responder, SecureRandom random, Duration timeout, Semaphore slots) {
        this.responder = responder;
        this.random = random;
        this.timeout = timeout;
        this.slots = slots;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof AuthenticatedPeer peer && state == State.STARTING) {
            start(ctx, peer);
        }
        ReferenceCountUtil.release(evt);
    }

    private void start(ChannelHandlerContext ctx, AuthenticatedPeer peer) {
        joiner = peer;
        state = State.AWAITING_REQUEST;
        if (responder == null) {
            finish(ctx, "device " + peer.device() + " is not paired with this device");
            return;
        }
        if (!slots.tryAcquire()) {
            finish(ctx, "too many pairing connections at once; try again in a few seconds");
            return;
        }
        holdsSlot = true;
        log.info("pairing-only connection from device {} at {}", peer.device(), AuthenticatedPeer.hostPort(peer.remote()));
        deadline = ctx.executor().schedule(() -> finish(ctx, "pairing did not complete within "
                + timeout.toMillis() / 1000.0 + " s"), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Message message)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (state == State.DONE || state == State.STARTING) {
            return;
        }
        switch (message) {
            case Message.PairRequest r when state == State.AWAITING_REQUEST -> {
                request = r;
                inviterNonce = PairingProof.newNonce(random);
                state = State.AWAITING_PROOF;
                ctx.writeAndFlush(new Message.PairChallenge(inviterNonce), ctx.voidPromise());
            }
            case Message.PairProof p when state == State.AWAITING_PROOF -> answer(ctx, p);
            case Message.Close c -> {
                log.debug("joiner {} closed the pairing connection: {}", joiner.device().shortText(), c.reason());
                state = State.DONE;
                ctx.close();
            }
            case Message.PairingMessage p -> refuse(ctx, p.getClass().getSimpleName()
                    + " out of order on a pairing connection");
            default -> refuse(ctx, "pairing-only connection: " + message.getClass().getSimpleName()
                    + " is not accepted from a device that is not paired");
        }
    }

    private void answer(ChannelHandlerContext ctx, Message.PairProof proof) {
        Invite invite;
        try {
            invite = responder.redeem(request.folderId(), joiner.device(), inviterNonce, request.joinerNonce(),
                    proof.hmac());
        } catch (InviteRejectedException e) {
            log.warn("refused device {} ('{}') joining folder '{}': {} ({})", joiner.device(), request.deviceName(),
                    request.folderId(), e.getMessage(), e.reason());
            reply(ctx, Message.PairResult.refused(e.getMessage()));
            return;
        }
        try {
            responder.paired(joiner.device(), request.deviceName(), invite);
        } catch (RuntimeException e) {
            log.error("could not record device {} as paired for folder '{}'", joiner.device(), invite.folderId(), e);
            reply(ctx, Message.PairResult.refused("the inviting device could not record the pairing ("
                    + e.getMessage() + "); ask for a new code with 'meshfold invite'"));
            return;
        }
        log.info("paired device {} ('{}') for folder '{}'", joiner.device(), request.deviceName(), invite.folderId());
        reply(ctx, Message.PairResult.accepted(invite.folderId(), invite.folderLabel()));
    }

    private void reply(ChannelHandlerContext ctx, Message.PairResult result) {
        state = State.DONE;
        cancelDeadline();
        ctx.writeAndFlush(result).addListener(ChannelFutureListener.CLOSE);
        closeLater(ctx);
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
        log.warn("closing pairing connection from device {}: {}", joiner.device(), reason);
        finish(ctx, reason);
    }

    /** Tells the peer why and closes. */
    private void finish(ChannelHandlerContext ctx, String reason) {
        if (state == State.DONE) {
            return;
        }
        state = State.DONE;
        cancelDeadline();
        log.debug("closing pairing connection from {}: {}", ctx.channel().remoteAddress(), reason);
        ctx.writeAndFlush(new Message.Close(reason)).addListener(ChannelFutureListener.CLOSE);
        closeLater(ctx);
    }

    /** A joiner that stops reading must not keep the connection half-open. */
    private void closeLater(ChannelHandlerContext ctx) {
        ctx.executor().schedule(() -> ctx.close(), CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable t = cause;
        while (t != null && !(t instanceof ProtocolException)) {
            t = t.getCause();
        }
        if (t != null && state != State.DONE && state != State.STARTING) {
            refuse(ctx, t.getMessage());
        } else {
            log.debug("pairing connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            state = State.DONE;
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.DONE;
        cancelDeadline();
        if (holdsSlot) {
            holdsSlot = false;
            slots.release();
        }
        ctx.fireChannelInactive();
    }
}
