package org.meshfold.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First inbound handler of the shared UDP socket: sends each datagram where it belongs.
 * <ul>
 * <li>Not QUIC — the fixed bit {@code 0x40} of the first byte is clear (RFC 9000 §17; STUN
 *     messages start with {@code 0b00}, RFC 8489 §5; TURN ChannelData with {@code 0b01} is
 *     recognized later by its sender) — to the pluggable handler, or dropped if there is none.</li>
 * <li>QUIC whose destination connection id is the source id of one of our own dials — to the
 *     client codec.</li>
 * <li>Any other QUIC packet — to the server codec, which accepts new connections.</li>
 * </ul>
 * The two codecs sit in one pipeline: {@code demux → server codec → client entry → client codec}.
 * Neither codec forwards what it reads, so client packets are fired from the client entry's
 * context, past the server codec. Writes of the client codec travel through the server codec,
 * which passes them on.
 *
 * <p>Threading: runs on the socket's event loop, which also owns {@link #clientIds}.
 */
final class DatagramDemux extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(DatagramDemux.class);
    static final int FIXED_BIT = 0x40;
    private static final int LONG_HEADER = 0x80;

    private final int idLength;
    private final Set<ByteBuffer> clientIds = new HashSet<>();
    private volatile Consumer<DatagramPacket> nonQuic;
    private ChannelHandlerContext clientEntry;

    /** @param idLength length of the connection ids this socket issues (the codecs' local id length) */
    DatagramDemux(int idLength) {
        this.idLength = idLength;
    }

    /** Where the client codec's inbound path starts; set once the pipeline is built. */
    void clientEntry(ChannelHandlerContext ctx) {
        this.clientEntry = ctx;
    }

    /** Routes non-QUIC datagrams to {@code handler}, which takes ownership of each packet; null drops them. */
    void nonQuic(Consumer<DatagramPacket> handler) {
        this.nonQuic = handler;
    }

    /** Our dial with this source connection id expects its packets; event loop only. */
    void addClientId(ByteBuffer id) {
        clientIds.add(id);
    }

    void removeClientId(ByteBuffer id) {
        clientIds.remove(id);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf content = packet.content();
        if (!content.isReadable()) {
            packet.release();
            return;
        }
        if ((content.getByte(content.readerIndex()) & FIXED_BIT) == 0) {
            divert(packet);
        } else if (clientEntry != null && isForClient(content)) {
            clientEntry.fireChannelRead(packet);
        } else {
            ctx.fireChannelRead(packet);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Each codec flushes what its connections produced while reading on this event.
        ctx.fireChannelReadComplete();
        if (clientEntry != null) {
            clientEntry.fireChannelReadComplete();
        }
    }

    private void divert(DatagramPacket packet) {
        Consumer<DatagramPacket> handler = nonQuic;
        if (handler == null) {
            packet.release();
            return;
        }
        try {
            handler.accept(packet);
        } catch (RuntimeException e) {
            log.warn("handler of non-QUIC datagrams failed on a packet from {}", packet.sender(), e);
        }
    }

    /** Whether the destination connection id (RFC 9000 §17.2 and §17.3) is one of our dials'. */
    private boolean isForClient(ByteBuf content) {
        int start = content.readerIndex();
        int offset;
        int length;
        if ((content.getByte(start) & LONG_HEADER) != 0) {
            // Long header: flags (1), version (4), DCID length (1), DCID.
            if (content.readableBytes() < 6) {
                return false;
            }
            length = content.getUnsignedByte(start + 5);
            offset = start + 6;
        } else {
            // Short header: flags (1), DCID of the length we issued.
            length = idLength;
            offset = start + 1;
        }
        if (length != idLength || content.readableBytes() < offset - start + length) {
            return false;
        }
        return clientIds.contains(content.nioBuffer(offset, length));
    }
}
