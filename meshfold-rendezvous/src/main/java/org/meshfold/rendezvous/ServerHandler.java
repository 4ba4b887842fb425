package org.meshfold.rendezvous;

import static org.meshfold.discovery.rendezvous.pb.Error.Code.BAD_RECORD;
import static org.meshfold.discovery.rendezvous.pb.Error.Code.BAD_REQUEST;
import static org.meshfold.discovery.rendezvous.pb.Error.Code.FRAME_TOO_LARGE;
import static org.meshfold.discovery.rendezvous.pb.Error.Code.NOT_CONNECTED;
import static org.meshfold.discovery.rendezvous.pb.Error.Code.NOT_FOUND;
import static org.meshfold.discovery.rendezvous.pb.Error.Code.RATE_LIMITED;
import static org.meshfold.discovery.rendezvous.pb.Error.Code.SERVER_FULL;
import static org.meshfold.discovery.rendezvous.pb.Error.Code.TURN_NOT_CONFIGURED;

import com.google.protobuf.ByteString;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.time.Instant;
import java.util.Optional;
import org.meshfold.discovery.rendezvous.InvalidRecordException;
import org.meshfold.discovery.rendezvous.RendezvousFrames;
import org.meshfold.discovery.rendezvous.SignedRecords;
import org.meshfold.discovery.rendezvous.WireAddresses;
import org.meshfold.discovery.rendezvous.pb.Error;
import org.meshfold.discovery.rendezvous.pb.Frame;
import org.meshfold.discovery.rendezvous.pb.LookupResult;
import org.meshfold.discovery.rendezvous.pb.ObservedAddress;
import org.meshfold.discovery.rendezvous.pb.PairingMessage;
import org.meshfold.discovery.rendezvous.pb.PairingRelayed;
import org.meshfold.discovery.rendezvous.pb.PunchOffer;
import org.meshfold.discovery.rendezvous.pb.PunchScheduled;
import org.meshfold.discovery.rendezvous.pb.Registered;
import org.meshfold.identity.DeviceId;
import org.meshfold.transport.AuthenticatedPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server end of one device session, on that channel's event loop. A refused request is
 * answered with an {@link Error} and the session stays open; a broken stream (oversized or
 * unparseable frame) is answered with a session-level error and closed, since it cannot be
 * resynchronised. Each device is limited by its own token bucket, so one flooding device
 * slows only itself.
 */
final class ServerHandler extends SimpleChannelInboundHandler<Frame> {
    private static final Logger log = LoggerFactory.getLogger(ServerHandler.class);

    private final RendezvousOptions options;
    private final Registry registry;
    private final Optional<TurnIssuer> turn;
    private Session session;

    ServerHandler(RendezvousOptions options, Registry registry, Optional<TurnIssuer> turn) {
        this.options = options;
        this.registry = registry;
        this.turn = turn;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof AuthenticatedPeer peer)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        Session s = new Session(peer.device(), ctx.channel(), peer.remote(),
                new TokenBucket(options.requestsPerSecond(), options.requestBurst(), now()));
        if (!registry.open(s)) {
            log.warn("refused device {}: {} sessions open, the limit", peer.device().shortText(), options.maxSessions());
            ctx.writeAndFlush(RendezvousFrames.error(0, SERVER_FULL, "rendezvous server is full ("
                    + options.maxSessions() + " devices); try another server or later")).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        session = s;
        ctx.writeAndFlush(Frame.newBuilder()
                .setObservedAddress(ObservedAddress.newBuilder().setAddress(WireAddresses.toWire(peer.remote()))).build());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        if (session == null) {
            return; // no data flows before authentication; a refused session is closing
        }
        int id = frame.getRequestId();
        Frame.Builder answer = switch (frame.getBodyCase()) {
            case REGISTER -> register(frame);
            case LOOKUP -> limited(id, () -> lookup(frame));
            case PUNCH_REQUEST -> limited(id, () -> punch(frame));
            case PAIRING_RELAY -> limited(id, () -> relay(frame));
            case TURN_REQUEST -> limited(id, this::turnCredentials);
            default -> error(BAD_REQUEST, "unsupported request " + frame.getBodyCase());
        };
        ctx.writeAndFlush(answer.setRequestId(id).build());
    }

    private Frame.Builder limited(int id, java.util.function.Supplier<Frame.Builder> request) {
        if (!session.bucket().tryTake(now())) {
            return error(RATE_LIMITED, "too many requests from device " + session.device().shortText() + ": at most "
                    + options.requestBurst() + " at once and " + options.requestsPerSecond() + " per second; slow down");
        }
        return request.get();
    }

    private Frame.Builder register(Frame frame) {
        Instant now = now();
        var signed = frame.getRegister().getRecord();
        try {
            var record = SignedRecords.verify(signed, now);
            if (!record.device().equals(session.device())) {
                return error(BAD_RECORD, "device " + session.device() + " may publish only its own record, not the one of "
                        + record.device());
            }
            if (record.expires().isAfter(now.plus(options.maxTtl()))) {
                return error(BAD_RECORD, "record expires at " + record.expires() + ", more than " + options.maxTtl()
                        + " from now (" + now + ")");
            }
            if (!registry.put(record.device(), new Registry.Stored(signed, record.expires()), now)) {
                return error(SERVER_FULL, "rendezvous server holds " + options.maxRecords() + " records, the limit");
            }
            return Frame.newBuilder().setRegistered(Registered.newBuilder().setExpiresMillis(record.expires().toEpochMilli()));
        } catch (InvalidRecordException e) {
            log.info("refused a record from device {}: {}", session.device().shortText(), e.getMessage());
            return error(BAD_RECORD, "record refused: " + e.getMessage());
        }
    }

    private Frame.Builder lookup(Frame frame) {
        Optional<DeviceId> device = deviceId(frame.getLookup().getDeviceId());
        if (device.isEmpty()) {
            return error(BAD_REQUEST, "lookup needs a 32-byte device id");
        }
        Optional<Registry.Stored> stored = registry.record(device.get(), now());
        if (stored.isEmpty()) {
            return error(NOT_FOUND, "no record of device " + device.get());
        }
        LookupResult.Builder result = LookupResult.newBuilder().setRecord(stored.get().record());
        registry.session(device.get()).ifPresent(s -> result.setObserved(WireAddresses.toWire(s.observed())));
        return Frame.newBuilder().setLookupResult(result);
    }

    private Frame.Builder punch(Frame frame) {
        var request = frame.getPunchRequest();
        Optional<Session> target = deviceId(request.getTarget()).flatMap(registry::session);
        if (target.isEmpty()) {
            return error(NOT_CONNECTED, "the device to punch to is not connected to this rendezvous server");
        }
        try {
            WireAddresses.fromWire(request.getCandidatesList());
        } catch (IllegalArgumentException e) {
            return error(BAD_REQUEST, "invalid punch candidate: " + e.getMessage());
        }
        if (request.getCandidatesCount() > org.meshfold.discovery.rendezvous.AddressRecord.MAX_ADDRESSES) {
            return error(BAD_REQUEST, "at most " + org.meshfold.discovery.rendezvous.AddressRecord.MAX_ADDRESSES
                    + " punch candidates");
        }
        long startAt = now().plus(options.punchDelay()).toEpochMilli();
        target.get().channel().writeAndFlush(Frame.newBuilder().setPunchOffer(PunchOffer.newBuilder()
                .setFrom(ByteString.copyFrom(session.device().bytes())).addAllCandidates(request.getCandidatesList())
                .setFromObserved(WireAddresses.toWire(session.observed())).setStartAtMillis(startAt)).build());
        return Frame.newBuilder().setPunchScheduled(PunchScheduled.newBuilder().setStartAtMillis(startAt)
                .setTargetObserved(WireAddresses.toWire(target.get().observed())));
    }

    private Frame.Builder relay(Frame frame) {
        var request = frame.getPairingRelay();
        if (request.getPayload().size() > RendezvousFrames.MAX_RELAY_PAYLOAD_BYTES) {
            return error(BAD_REQUEST, "pairing message of " + request.getPayload().size() + " bytes exceeds "
                    + RendezvousFrames.MAX_RELAY_PAYLOAD_BYTES);
        }
        Optional<Session> target = deviceId(request.getTarget()).flatMap(registry::session);
        if (target.isEmpty()) {
            return error(NOT_CONNECTED, "the device to relay to is not connected to this rendezvous server");
        }
        target.get().channel().writeAndFlush(Frame.newBuilder().setPairingMessage(PairingMessage.newBuilder()
                .setFrom(ByteString.copyFrom(session.device().bytes())).setPayload(request.getPayload())).build());
        return Frame.newBuilder().setPairingRelayed(PairingRelayed.getDefaultInstance());
    }

    private Frame.Builder turnCredentials() {
        return turn.map(t -> Frame.newBuilder().setTurnCredentials(t.issue(session.device(), now())))
                .orElseGet(() -> error(TURN_NOT_CONFIGURED, "this rendezvous server has no TURN server configured"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String who = session == null ? String.valueOf(ctx.channel().remoteAddress()) : "device " + session.device().shortText();
        Frame reply;
        if (cause instanceof TooLongFrameException) {
            reply = RendezvousFrames.error(0, FRAME_TOO_LARGE, "frame exceeds the " + RendezvousFrames.MAX_FRAME_BYTES
                    + "-byte limit; session closed");
        } else if (cause instanceof DecoderException) {
            reply = RendezvousFrames.error(0, BAD_REQUEST, "unreadable frame; session closed");
        } else {
            log.debug("rendezvous session with {} failed: {}", who, cause.toString());
            ctx.close();
            return;
        }
        log.info("closing rendezvous session with {}: {}", who, cause.getMessage());
        // The frame codec is still intact for writing; only reading is broken.
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (session != null) {
            registry.close(session);
        }
        ctx.fireChannelInactive();
    }

    private Instant now() {
        return options.clock().instant();
    }

    private static Optional<DeviceId> deviceId(ByteString bytes) {
        return bytes.size() == DeviceId.LENGTH ? Optional.of(DeviceId.of(bytes.toByteArray())) : Optional.empty();
    }

    private static Frame.Builder error(Error.Code code, String message) {
        return Frame.newBuilder().setError(Error.newBuilder().setCode(code).setMessage(message));
    }
}
