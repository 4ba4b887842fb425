package org.meshfold.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Loopback ports for the devices under test. */
final class Loopback {
    private static final long POLL_MILLIS = 20;
    private static final int CONNECT_MILLIS = 1_000;

    private Loopback() {
    }

    /** A port that was free a moment ago; the daemons bind it right after, so a clash is unlikely. */
    static InetSocketAddress freePort() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket probe = new ServerSocket(0, 1, loopback)) {
            return new InetSocketAddress(loopback.getHostAddress(), probe.getLocalPort());
        }
    }

    /**
     * Waits until a TCP connection to {@code address} succeeds (the connection is closed at once),
     * running {@code check} between attempts, e.g. that the listening process is still alive.
     */
    static void awaitListening(InetSocketAddress address, String what, Duration timeout, FolderProbe.Check check)
            throws IOException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(address, CONNECT_MILLIS);
                return;
            } catch (IOException notYet) {
                check.run();
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException(what + " did not accept connections on " + address + " within "
                            + timeout.toSeconds() + " s");
                }
                Thread.sleep(POLL_MILLIS);
            }
        }
    }
}
