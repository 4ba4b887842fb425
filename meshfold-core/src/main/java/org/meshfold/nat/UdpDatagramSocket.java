package org.meshfold.nat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.ThreadFactory;

/**
 * A plain UDP socket as a {@link DatagramPort}, with one reader thread that hands every received
 * datagram to a {@link Receiver}. The receiver runs on that thread and must not keep the buffer,
 * which is reused for the next datagram.
 */
public final class UdpDatagramSocket implements DatagramPort, AutoCloseable {
    private static final int MAX_DATAGRAM = 65_535;
    private static final int RECEIVE_BUFFER = 4 << 20;

    /** Handles one received datagram on the reader thread. */
    @FunctionalInterface
    public interface Receiver {
        void onDatagram(ByteBuffer datagram, InetSocketAddress sender);
    }

    private final DatagramChannel channel;
    private final Thread reader;

    private UdpDatagramSocket(DatagramChannel channel, ThreadFactory threads, Receiver receiver) {
        this.channel = channel;
        this.reader = threads.newThread(() -> readLoop(receiver));
    }

    /** Binds {@code local} (port 0 for any) and starts reading. */
    public static UdpDatagramSocket open(InetSocketAddress local, ThreadFactory threads, Receiver receiver)
            throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
            channel.bind(local);
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot bind UDP socket " + local + ": " + e.getMessage(), e);
        }
        UdpDatagramSocket socket = new UdpDatagramSocket(channel, threads, receiver);
        socket.reader.start();
        return socket;
    }

    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    @Override
    public void send(ByteBuffer datagram, InetSocketAddress recipient) throws IOException {
        channel.send(datagram, recipient);
    }

    private void readLoop(Receiver receiver) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
        while (channel.isOpen()) {
            try {
                buffer.clear();
                InetSocketAddress sender = (InetSocketAddress) channel.receive(buffer);
                buffer.flip();
                receiver.onDatagram(buffer, sender);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // ICMP port unreachable surfaces here on some systems; the socket stays usable
                continue;
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
