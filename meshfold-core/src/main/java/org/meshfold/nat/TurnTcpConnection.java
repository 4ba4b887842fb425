package org.meshfold.nat;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;

/**
 * A TCP connection to a TURN server (RFC 8656 §3.1) used as a {@link DatagramPort}, for
 * networks that block UDP. TCP carries a byte stream, so frames are delimited by their own
 * headers: a STUN message is 20 bytes plus its length, ChannelData 4 bytes plus its length
 * padded to four (RFC 8656 §12.5). Pair it with {@link TurnOptions#tcp()} so the client pads
 * ChannelData and does not retransmit. One reader thread hands each frame to the receiver, as
 * if it were a datagram from the server; anything else in the stream closes the connection.
 */
public final class TurnTcpConnection implements DatagramPort, AutoCloseable {
    private final Socket socket;
    private final InetSocketAddress server;
    private final OutputStream out;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private TurnTcpConnection(Socket socket, InetSocketAddress server) throws IOException {
        this.socket = socket;
        this.server = server;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    }

    public static TurnTcpConnection connect(InetSocketAddress server, Duration timeout, ThreadFactory threads,
            UdpDatagramSocket.Receiver receiver) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(server, Math.toIntExact(timeout.toMillis()));
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot connect to TURN server " + server + " over TCP: " + e.getMessage(), e);
        }
        TurnTcpConnection connection = new TurnTcpConnection(socket, server);
        threads.newThread(() -> connection.readLoop(receiver)).start();
        return connection;
    }

    /** Completes when the connection ends, exceptionally with the reason unless we closed it. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public void send(ByteBuffer datagram, InetSocketAddress recipient) throws IOException {
        if (!server.equals(recipient)) {
            throw new IOException("this TCP connection only reaches the TURN server " + server + ", not " + recipient);
        }
        byte[] bytes = new byte[datagram.remaining()];
        datagram.get(bytes);
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
    }

    private void readLoop(UdpDatagramSocket.Receiver receiver) {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16))) {
            byte[] frame = new byte[StunCodec.HEADER_LENGTH + 0xFFFF + 3];
            while (true) {
                in.readFully(frame, 0, 4);
                int length = ((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF);
                int kind = frame[0] & 0xC0;
                int size;
                int padded;
                if (kind == 0x00) {
                    size = StunCodec.HEADER_LENGTH + length;
                    padded = size;
                } else if (kind == 0x40) {
                    size = ChannelData.HEADER_LENGTH + length;
                    padded = (size + 3) & ~3;
                } else {
                    throw new StunFormatException.BadCookie(String.format(
                            "TURN server %s sent a frame starting 0x%02x: neither STUN nor ChannelData", server, frame[0]));
                }
                in.readFully(frame, 4, padded - 4);
                receiver.onDatagram(ByteBuffer.wrap(frame, 0, size), server);
            }
        } catch (EOFException e) {
            closed.completeExceptionally(new IOException("TURN server " + server + " closed the TCP connection"));
        } catch (IOException | StunFormatException e) {
            closed.completeExceptionally(e);
        } finally {
            closeQuietly();
        }
    }

    @Override
    public void close() {
        closed.complete(null);
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException e) {
            closed.completeExceptionally(e);
        }
    }
}
