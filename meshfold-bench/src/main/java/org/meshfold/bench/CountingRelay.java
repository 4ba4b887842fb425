package org.meshfold.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP forwarder on loopback that counts the bytes it carries in each direction: the dialing
 * device connects to it, and it connects on to {@code target}. The devices speak TLS end to end,
 * so the counts are the ciphertext bytes a network between them would carry (TCP/IP headers
 * excluded). Each connection uses two threads, one per direction.
 */
final class CountingRelay implements AutoCloseable {
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final long POLL_MILLIS = 50;
    private static final long NONE = Long.MIN_VALUE;

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final AtomicLong toTarget = new AtomicLong();
    private final AtomicLong fromTarget = new AtomicLong();
    private final AtomicLong firstConnectedNanos = new AtomicLong(NONE);
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    CountingRelay(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().daemon().name("relay-accept").start(this::acceptLoop);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    /** Bytes sent by the dialing side, towards the target. */
    long bytesToTarget() {
        return toTarget.get();
    }

    /** Bytes sent by the target, towards the dialing side. */
    long bytesFromTarget() {
        return fromTarget.get();
    }

    /** {@link System#nanoTime()} when the first forwarded connection reached the target, or empty. */
    OptionalLong firstConnectedNanos() {
        long t = firstConnectedNanos.get();
        return t == NONE ? OptionalLong.empty() : OptionalLong.of(t);
    }

    long totalBytes() {
        return toTarget.get() + fromTarget.get();
    }

    /**
     * Waits until no byte has passed for {@code quiet} (the devices have finished their exchange,
     * including acknowledgements that follow the data), and returns the total then.
     */
    long awaitQuiet(Duration quiet, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = totalBytes();
        long lastChange = System.nanoTime();
        while (System.nanoTime() - lastChange < quiet.toNanos()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("traffic between the devices did not stop within " + timeout.toSeconds()
                        + " s (" + totalBytes() + " bytes so far)");
            }
            Thread.sleep(POLL_MILLIS);
            long now = totalBytes();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            }
        }
        return last;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket in = server.accept();
                Socket out = new Socket();
                sockets.add(in);
                sockets.add(out);
                try {
                    out.connect(target, 5_000);
                } catch (IOException e) {
                    in.close();
                    out.close();
                    continue;
                }
                firstConnectedNanos.compareAndSet(NONE, System.nanoTime());
                in.setTcpNoDelay(true);
                out.setTcpNoDelay(true);
                Thread.ofPlatform().daemon().name("relay-up").start(() -> pump(in, out, toTarget));
                Thread.ofPlatform().daemon().name("relay-down").start(() -> pump(out, in, fromTarget));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("relay: accepting a connection failed: " + e);
                }
            }
        }
    }

    /** Copies until end of stream, then half-closes the other side so the peer sees the close too. */
    private static void pump(Socket from, Socket to, AtomicLong counter) {
        byte[] buffer = new byte[BUFFER_BYTES];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                counter.addAndGet(n);
            }
        } catch (IOException e) {
            // A reset or close on either side ends this direction; closing both sockets ends the other.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Already closed or reset: nothing left to release.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
