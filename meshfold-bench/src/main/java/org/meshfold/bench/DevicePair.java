package org.meshfold.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.meshfold.config.ConfigFile;
import org.meshfold.config.DiscoveryConfig;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;
import org.meshfold.config.PeerConfig;
import org.meshfold.config.RendezvousConfig;
import org.meshfold.fs.PathNames;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;

/**
 * Two meshfold devices, a sender and a receiver sharing one folder, each with a fresh home and
 * the default settings, as separate {@code meshfold run} processes. Only the receiver dials, and
 * it dials the {@link CountingRelay}, which forwards to the sender's listen port: every byte
 * between the two devices passes through the relay.
 */
final class DevicePair implements SyncPair {
    static final String FOLDER_ID = "bench";
    private static final Duration RESCAN = NodeConfig.DEFAULT_RESCAN;

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
        InetSocketAddress senderListen = Loopback.freePort();
        CountingRelay relay = new CountingRelay(senderListen);
        ConfigFile.save(senderHome, config("sender", senderListen, senderFolder,
                new PeerConfig(receiverId, "receiver", List.of())));
        ConfigFile.save(receiverHome, config("receiver", Loopback.freePort(), receiverFolder,
                new PeerConfig(senderId, "sender", List.of(relay.address()))));
        return new DevicePair(senderFolder, receiverFolder, new DaemonProcess("sender", senderHome),
                new DaemonProcess("receiver", receiverHome), relay);
    }

    private static NodeConfig config(String name, InetSocketAddress listen, Path folder, PeerConfig peer) {
        FolderConfig shared = new FolderConfig(FOLDER_ID, FOLDER_ID, folder, Set.of(peer.id()));
        return new NodeConfig(name, listen, List.of(shared), List.of(peer), RESCAN, NodeConfig.DEFAULT_WATCH_DELAY,
                DiscoveryConfig.OFF, RendezvousConfig.NONE, false);
    }

    @Override
    public Path senderFolder() {
        return senderFolder;
    }

    @Override
    public Path receiverFolder() {
        return receiverFolder;
    }

    Path senderLog() {
        return sender.log();
    }

    @Override
    public CountingRelay relay() {
        return relay;
    }

    /** The sender's "meshfold running" line is printed once it listens. */
    @Override
    public void start(Duration timeout) throws IOException, InterruptedException, TimeoutException {
        running = true;
        sender.start();
        sender.awaitRunning(timeout);
        receiver.start();
    }

    @Override
    public void checkAlive() throws IOException {
        sender.checkAlive();
        receiver.checkAlive();
    }

    /** Reads both devices' peak RSS, then stops them with SIGTERM. */
    @Override
    public PeakRss stop() throws IOException, InterruptedException {
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

    /** In-progress downloads ({@code .meshfold-tmp-*}) and the local ignore file. */
    @Override
    public boolean isToolFile(String relativePath) {
        String name = relativePath.substring(relativePath.lastIndexOf('/') + 1);
        return PathNames.isTemp(name) || relativePath.equals(PathNames.IGNORE_FILE);
    }

    /** From the sender's log ({@link ScanLog}). */
    @Override
    public Optional<ScanLog.Scan> senderFullScan(Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        return Optional.of(ScanLog.awaitFirstFullScan(senderLog(), FOLDER_ID, timeout));
    }

    /** From the sender's log ({@link ScanLog}). */
    @Override
    public Optional<ScanLog.Scan> senderChangeScan(Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        return Optional.of(ScanLog.awaitFirstChangeScan(senderLog(), FOLDER_ID, timeout));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stopQuietly();
        relay.close();
    }
}
