package org.meshfold.protocol;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.meshfold.identity.DeviceId;
import org.meshfold.pairing.Invite;
import org.meshfold.pairing.PairingFailedException;
import org.meshfold.pairing.PairingFailedException.Reason;
import org.meshfold.pairing.PairingOutcome;
import org.meshfold.pairing.PairingProof;
import org.meshfold.transport.AuthenticatedPeer;
import org.meshfold.transport.tls.UntrustedPeerException;

/**
 * The joiner's end of one pairing connection: PairRequest, then the proof for the inviter's
 * challenge, then the inviter's result. Runs on the channel's event loop.
 */
final class JoinerConversation extends ChannelInboundHandlerAdapter {
    private static final String NEW_CODE = "ask for a new code with 'meshfold invite'";

    private enum State { CONNECTING, AWAITING_CHALLENGE, AWAITING_RESULT, DONE }

    private final PairingDial dial;
    private final InetSocketAddress address;
    private final DeviceId self;
    private final Invite invite;
    private final String deviceName;
    private final SecureRandom random;
    private final Duration timeout;
    private State state = State.CONNECTING;
    private byte[] joinerNonce;
    private ScheduledFuture<?> deadline;

    JoinerConversation(PairingDial dial, InetSocketAddress address, DeviceId self, Invite invite, String deviceName,
            SecureRandom random, Duration timeout) {
        this.dial = dial;
        this.address = address;
        this.self = self;
        this.invite = invite;
        this.deviceName = deviceName;
        this.random = random;
        this.timeout = timeout;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof AuthenticatedPeer && state == State.CONNECTING) {
            if (!dial.claim(this)) {
                // Another address of the same inviter got through first.
                state = State.DONE;
                ctx.close();
            } else {
                state = State.AWAITING_CHALLENGE;
                joinerNonce = PairingProof.newNonce(random);
                deadline = ctx.executor().schedule(() -> fail(ctx, new PairingFailedException(Reason.TIMEOUT,
                        "the inviting device at " + where() + " did not finish pairing within "
                                + timeout.toMillis() / 1000.0 + " s; try again", null)),
                        timeout.toMillis(), TimeUnit.MILLISECONDS);
                ctx.writeAndFlush(new Message.PairRequest(invite.folderId(), joinerNonce, deviceName),
                        ctx.voidPromise());
            }
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Message message)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (state == State.DONE) {
            return;
        }
        switch (message) {
            case Message.PairChallenge c when state == State.AWAITING_CHALLENGE -> {
                state = State.AWAITING_RESULT;
                byte[] proof = PairingProof.compute(invite.secret(), invite.inviter(), self, c.inviterNonce(),
                        joinerNonce);
                ctx.writeAndFlush(new Message.PairProof(proof), ctx.voidPromise());
            }
            case Message.PairResult r when state == State.AWAITING_RESULT -> {
                state = State.DONE;
                cancelDeadline();
                if (r.ok()) {
                    dial.succeeded(new PairingOutcome(invite.inviter(), r.folderId(), r.folderLabel(), address));
                } else {
                    dial.failed(this, address, new PairingFailedException(Reason.REFUSED,
                            "the inviting device refused the code: " + r.reason(), null));
                }
                ctx.close();
            }
            case Message.Hello h -> fail(ctx, alreadyPaired());
            case Message.Close c when c.reason().equals(ConnectionRegistry.DUPLICATE) -> fail(ctx, alreadyPaired());
            case Message.Close c -> fail(ctx, new PairingFailedException(state == State.AWAITING_CHALLENGE
                    ? Reason.NOT_ACCEPTING : Reason.BROKEN,
                    "the inviting device at " + where() + " closed the pairing connection: " + c.reason(), null));
            default -> fail(ctx, new PairingFailedException(Reason.BROKEN, "the inviting device at " + where()
                    + " sent " + message.getClass().getSimpleName() + " during pairing; try again", null));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, classify(address, invite.inviter(), cause));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state != State.DONE) {
            // With TLS 1.3 the inviter judges our certificate after our side of the handshake is
            // done: a connection it refuses may look authenticated here and then just end.
            fail(ctx, state == State.CONNECTING || state == State.AWAITING_CHALLENGE
                    ? notAccepting(address, null)
                    : new PairingFailedException(Reason.BROKEN, "the inviting device at " + where()
                            + " closed the connection before answering; try again", null));
        }
        ctx.fireChannelInactive();
    }

    /** A paired inviter runs the sync protocol on our connection instead of the pairing one. */
    private PairingFailedException alreadyPaired() {
        return new PairingFailedException(Reason.ALREADY_PAIRED, "this device is already paired with the inviting "
                + "device " + invite.inviter().shortText() + "; invite codes are for new devices: share folder '"
                + invite.folderId() + "' with this device on the inviting device instead", null);
    }

    private void fail(ChannelHandlerContext ctx, PairingFailedException error) {
        if (state == State.DONE) {
            return;
        }
        state = State.DONE;
        cancelDeadline();
        dial.failed(this, address, error);
        ctx.close();
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    private String where() {
        return AuthenticatedPeer.hostPort(address);
    }

    /** A failure to connect or authenticate at {@code address}, in the joiner's user's terms. */
    static PairingFailedException classify(InetSocketAddress address, DeviceId inviter, Throwable cause) {
        String where = AuthenticatedPeer.hostPort(address);
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UntrustedPeerException u) {
                return new PairingFailedException(Reason.WRONG_DEVICE, "another device answered at " + where
                        + ": device " + u.device().shortText() + " instead of the inviting device "
                        + inviter.shortText() + "; the code's addresses may be out of date, " + NEW_CODE, cause);
            }
            if (t instanceof SSLException && t.getMessage() != null && t.getMessage().contains("Received fatal alert")) {
                return notAccepting(address, cause);
            }
            if (t instanceof ConnectException || t instanceof ConnectTimeoutException
                    || t instanceof NoRouteToHostException) {
                return new PairingFailedException(Reason.UNREACHABLE, "could not reach the inviting device at "
                        + where + " (" + t.getMessage() + "): is `meshfold run` or `meshfold invite` running there?",
                        cause);
            }
            if (t instanceof ProtocolException) {
                return new PairingFailedException(Reason.BROKEN, "the inviting device at " + where
                        + " broke the protocol: " + t.getMessage(), cause);
            }
        }
        return new PairingFailedException(Reason.BROKEN, "pairing with the inviting device at " + where
                + " failed: " + cause, cause);
    }

    private static PairingFailedException notAccepting(InetSocketAddress address, Throwable cause) {
        return new PairingFailedException(Reason.NOT_ACCEPTING, "the inviting device at "
                + AuthenticatedPeer.hostPort(address) + " did not accept this device: it has no open invite now "
                + "(the code was already used, expired or was cancelled, or the device restarted); " + NEW_CODE,
                cause);
    }
}
