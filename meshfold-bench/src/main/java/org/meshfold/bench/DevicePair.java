package org.meshfold.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.meshfold.config.ConfigFile;
import org.meshfold.config.DiscoveryConfig;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;
import org.meshfold.config.PeerConfig;
import org.meshfold.config.RendezvousConfig;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;

/**
 * A sender and a receiver device sharing one folder, each with a fresh home, as separate
 * processes. Only the receiver dials, and it dials the {@link CountingRelay}, which forwards to
 * the sender's listen port: every byte between the two devices passes through the relay.
 */
final class DevicePair implements AutoCloseable {
    static final String FOLDER_ID = "bench";
    private static final Duration RESCAN = NodeConfig.DEFAULT_RESCAN;

    /** Peak resident memory of each device over its whole run, in bytes. */
    record PeakRss(long senderBytes, long receiverBytes) {
    }

    private final Path senderFolder;
    private final Path receiverFolder;
    private final DaemonProcess sender;
    private final DaemonProcess receiver;
    private final CountingRelay relay;
    private boolean running;

    private DevicePair(Path senderFolder, Path receiverFolder, DaemonProcess sender, DaemonProcess receiver,
            CountingRelay relay) {
        this.senderFolder = senderFolder;
        this.receiverFolder = receiverFolder;
        this.sender = sender;
        this.receiver = receiver;
        this.relay = relay;
    }

    /** Creates both homes (identity and configuration) and both folders under {@code dir}; starts nothing. */
    static DevicePair create(Path dir) throws IOException {
        Path senderHome = dir.resolve("sender-home");
        Path receiverHome = dir.resolve("receiver-home");
        Path senderFolder = Files.createDirectories(dir.resolve("sender-folder"));
        Path receiverFolder = Files.createDirectories(dir.resolve("receiver-folder"));
        DeviceId senderId = DeviceIdentity.loadOrCreate(senderHome).deviceId();
        DeviceId receiverId = DeviceIdentity.loadOrCreate(receiverHome).deviceId();
        InetSocketAddress senderListen = freeLoopbackPort();
        CountingRelay relay = new CountingRelay(senderListen);
        ConfigFile.save(senderHome, config("sender", senderListen, senderFolder,
                new PeerConfig(receiverId, "receiver", List.of())));
        ConfigFile.save(receiverHome, config("receiver", freeLoopbackPort(), receiverFolder,
                new PeerConfig(senderId, "sender", List.of(relay.address()))));
        return new DevicePair(senderFolder, receiverFolder, new DaemonProcess("sender", senderHome),
                new DaemonProcess("receiver", receiverHome), relay);
    }

    private static NodeConfig config(String name, InetSocketAddress listen, Path folder, PeerConfig peer) {
        FolderConfig shared = new FolderConfig(FOLDER_ID, FOLDER_ID, folder, Set.of(peer.id()));
        return new NodeConfig(name, listen, List.of(shared), List.of(peer), RESCAN, NodeConfig.DEFAULT_WATCH_DELAY,
                DiscoveryConfig.OFF, RendezvousConfig.NONE, false);
    }

    /** A port that was free a moment ago; the daemons bind it right after, so a clash is unlikely. */
    private static InetSocketAddress freeLoopbackPort() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket probe = new ServerSocket(0, 1, loopback)) {
            return new InetSocketAddress(loopback.getHostAddress(), probe.getLocalPort());
        }
    }

    Path senderFolder() {
        return senderFolder;
    }

    Path receiverFolder() {
        return receiverFolder;
    }

    Path senderLog() {
        return sender.log();
    }

    CountingRelay relay() {
        return relay;
    }

    /**
     * Starts the sender, waits until it listens, then starts the receiver, whose first dial then
     * connects: the figures do not depend on which device won the start-up race and on the
     * receiver's dial backoff.
     */
    void start(Duration timeout) throws IOException, InterruptedException, TimeoutException {
        running = true;
        sender.start();
        sender.awaitRunning(timeout);
        receiver.start();
    }

    void checkAlive() throws IOException {
        sender.checkAlive();
        receiver.checkAlive();
    }

    /** Reads both devices' peak RSS, then stops them with SIGTERM. */
    PeakRss stop() throws IOException, InterruptedException {
        PeakRss peak = new PeakRss(sender.peakRssBytes(), receiver.peakRssBytes());
        stopQuietly();
        return peak;
    }

    private void stopQuietly() throws InterruptedException {
        if (running) {
            running = false;
            receiver.stop();
            sender.stop();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stopQuietly();
        relay.close();
    }
}
