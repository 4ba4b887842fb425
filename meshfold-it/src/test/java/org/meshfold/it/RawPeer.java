package org.meshfold.it;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.protocol.codec.pb.Close;
import org.meshfold.protocol.codec.pb.ClusterConfig;
import org.meshfold.protocol.codec.pb.Envelope;
import org.meshfold.protocol.codec.pb.Folder;
import org.meshfold.protocol.codec.pb.Hello;
import org.meshfold.protocol.codec.pb.Request;
import org.meshfold.protocol.codec.pb.Response;
import org.meshfold.transport.AuthenticatedPeer;
import org.meshfold.transport.TcpTlsTransport;

/**
 * A device that authenticates with a real identity over the product's TCP + TLS transport and
 * then speaks the wire format by hand: frames are a 4-byte big-endian length and a protobuf
 * {@code Envelope} built from the generated classes, so it can send anything, including bytes no
 * honest peer would. It records every frame it receives (parsed only as far as the envelope) and
 * whatever ended the connection.
 */
final class RawPeer implements AutoCloseable {
    static final int HELLO = 1;
    static final int CLUSTER_CONFIG = 2;
    static final int INDEX_UPDATE = 3;
    static final int REQUEST = 4;
    static final int RESPONSE = 5;
    static final int PING = 6;
    static final int CLOSE = 8;
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final TcpTlsTransport transport;
    private final Channel channel;
    private final List<Envelope> received = new CopyOnWriteArrayList<>();
    private volatile boolean authenticated;
    private volatile boolean inactive;
    private volatile Throwable failure;
    private volatile Function<Request, byte[]> blocks;

    private RawPeer(DeviceIdentity identity, TestDevice target) {
        transport = TcpTlsTransport.create(identity, d -> true);
        channel = transport.dial(target.id, target.listenAddress(), ch -> {
            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(Integer.MAX_VALUE, 0, 4, 0, 4));
            ch.pipeline().addLast(new Recorder());
        }).syncUninterruptibly().channel();
    }

    /** Dials {@code target} as the device whose home is {@code home}; returns once TCP is connected. */
    static RawPeer dial(Path home, TestDevice target) {
        try {
            return new RawPeer(DeviceIdentity.loadOrCreate(home), target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the TLS handshake completed on this side and the peer was proven to be the target. */
    RawPeer awaitAuthenticated() {
        Await.until("the TLS handshake with the victim", TIMEOUT, () -> authenticated || failure != null);
        if (!authenticated) {
            throw new AssertionError("TLS handshake failed", failure);
        }
        return this;
    }

    /** Completes the protocol handshake: Hello both ways, then the victim's cluster config and ours. */
    RawPeer establish(String folderId, long epoch) {
        awaitAuthenticated();
        send(HELLO, Hello.newBuilder().setDeviceName("mallory").setClientName("raw").setClientVersion("0")
                .setProtocolVersion(1).build());
        Await.until("the victim's cluster config", TIMEOUT, () -> firstOf(CLUSTER_CONFIG).isPresent() || isClosed(),
                this::describe);
        if (isClosed()) {
            throw new AssertionError("the victim closed the connection during the handshake: " + describe());
        }
        send(CLUSTER_CONFIG, ClusterConfig.newBuilder().addFolders(Folder.newBuilder().setId(folderId)
                .setLabel(folderId).setEpoch(epoch).setMaxSequence(1)).build());
        return this;
    }

    /** Sends one well-formed frame: length, then an Envelope of {@code type} carrying {@code payload}. */
    void send(int type, MessageLite payload) {
        sendRaw(frame(type, payload));
    }

    private static ByteBuf frame(int type, MessageLite payload) {
        byte[] envelope = Envelope.newBuilder().setType(type).setPayload(payload.toByteString()).build().toByteArray();
        return Unpooled.buffer(4 + envelope.length).writeInt(envelope.length).writeBytes(envelope);
    }

    /** Sends bytes exactly as given (inside TLS). */
    void sendRaw(ByteBuf bytes) {
        channel.writeAndFlush(bytes).awaitUninterruptibly();
    }

    /** From now on answers every block request with {@code content.apply(request)}. */
    void serveBlocks(Function<Request, byte[]> content) {
        blocks = content;
    }

    void awaitClosed() {
        awaitClosed(TIMEOUT);
    }

    void awaitClosed(Duration timeout) {
        Await.until("the victim to close the connection", timeout, this::isClosed, this::describe);
    }

    /** True once the connection is closed and every handler before ours has reported why. */
    boolean isClosed() {
        return inactive;
    }

    /** The exception that ended the connection on this side, if any (a TLS alert, for example). */
    Throwable failure() {
        return failure;
    }

    List<Envelope> received() {
        return List.copyOf(received);
    }

    Optional<Envelope> firstOf(int type) {
        return received.stream().filter(e -> e.getType() == type).findFirst();
    }

    /** The reason in the Close frame the victim sent, or null if it sent none. */
    String closeReason() {
        return firstOf(CLOSE).map(e -> {
            try {
                return Close.parseFrom(e.getPayload()).getReason();
            } catch (InvalidProtocolBufferException ex) {
                throw new AssertionError("the victim sent a malformed Close", ex);
            }
        }).orElse(null);
    }

    String describe() {
        return "(received types " + received.stream().map(Envelope::getType).toList() + ", authenticated "
                + authenticated + ", closed " + isClosed() + ", failure " + failure + ")";
    }

    @Override
    public void close() {
        transport.close();
    }

    private final class Recorder extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof AuthenticatedPeer) {
                authenticated = true;
            }
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            try {
                Envelope envelope = Envelope.parseFrom(ByteBufUtil.getBytes(frame));
                received.add(envelope);
                Function<Request, byte[]> content = blocks;
                if (envelope.getType() == REQUEST && content != null) {
                    Request request = Request.parseFrom(envelope.getPayload());
                    ctx.writeAndFlush(frame(RESPONSE, Response.newBuilder().setId(request.getId())
                            .setData(ByteString.copyFrom(content.apply(request))).build()));
                }
            } catch (InvalidProtocolBufferException e) {
                failure = e;
                ctx.close();
            } finally {
                frame.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inactive = true;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (failure == null) {
                failure = cause;
            }
            ctx.close();
        }
    }
}
