package org.meshfold.nat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Where STUN and TURN clients send their datagrams. The device's one UDP socket implements this
 * (later shared with QUIC), and so does a TURN-over-TCP connection. The owner of the socket
 * reads datagrams itself and offers each to the clients' {@code onDatagram} methods, which say
 * whether they consumed it; the rest (QUIC, probes) goes elsewhere.
 */
public interface DatagramPort {
    /**
     * Sends one datagram. May be called from any thread; implementations must not keep
     * {@code datagram} after returning.
     */
    void send(ByteBuffer datagram, InetSocketAddress recipient) throws IOException;
}
