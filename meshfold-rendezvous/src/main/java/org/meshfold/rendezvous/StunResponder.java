package org.meshfold.rendezvous;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.meshfold.nat.AddressAttribute;
import org.meshfold.nat.StunAttributeType;
import org.meshfold.nat.StunClass;
import org.meshfold.nat.StunCodec;
import org.meshfold.nat.StunFormatException;
import org.meshfold.nat.StunMessage;
import org.meshfold.nat.StunMethod;
import org.meshfold.nat.UdpDatagramSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A STUN Binding responder (RFC 8489 §6.3.1) on the rendezvous server's port number over UDP,
 * so devices learn the reflexive address of their shared UDP socket (the one hole punching
 * needs) from the server they already use, without a TURN server. Answers Binding requests only;
 * anything else is dropped unanswered.
 */
final class StunResponder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StunResponder.class);
    /** Requests carry no attributes we use; a larger datagram is not a Binding request of ours. */
    private static final int MAX_REQUEST = 548;

    private final UdpDatagramSocket socket;

    private StunResponder(UdpDatagramSocket socket) {
        this.socket = socket;
    }

    /** Answers on {@code address}; null (with a warning) if that UDP port cannot be bound. */
    static StunResponder start(InetSocketAddress address) {
        UdpDatagramSocket[] self = new UdpDatagramSocket[1];
        try {
            self[0] = UdpDatagramSocket.open(address, r -> {
                Thread t = new Thread(r, "rendezvous-stun");
                t.setDaemon(true);
                return t;
            }, (datagram, sender) -> answer(self[0], datagram, sender));
            return new StunResponder(self[0]);
        } catch (IOException e) {
            log.warn("STUN over UDP is not answered: {}", e.getMessage());
            return null;
        }
    }

    private static void answer(UdpDatagramSocket socket, ByteBuffer datagram, InetSocketAddress sender) {
        if (socket == null || datagram.remaining() > MAX_REQUEST || !StunCodec.looksLikeStun(datagram)) {
            return;
        }
        byte[] raw = new byte[datagram.remaining()];
        datagram.get(raw);
        try {
            StunMessage request = StunCodec.decode(raw);
            if (request.messageClass() != StunClass.REQUEST || request.method() != StunMethod.BINDING) {
                return;
            }
            StunMessage response = new StunMessage(StunClass.SUCCESS, StunMethod.BINDING, request.transactionId(),
                    List.of(new AddressAttribute(StunAttributeType.XOR_MAPPED_ADDRESS, sender)));
            socket.send(ByteBuffer.wrap(StunCodec.encode(response, null, true)), sender);
        } catch (StunFormatException e) {
            log.debug("malformed STUN request from {}: {}", sender, e.getMessage());
        } catch (IOException e) {
            log.debug("STUN answer to {} failed: {}", sender, e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("closing the STUN socket: {}", e.getMessage());
        }
    }
}
