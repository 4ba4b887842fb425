package org.meshfold.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.meshfold.config.DiscoveryConfig;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;
import org.meshfold.config.PeerConfig;
import org.meshfold.config.RendezvousConfig;
import org.meshfold.daemon.DeviceNode;
import org.meshfold.daemon.NodeStatus;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.pairing.Invite;
import org.meshfold.pairing.PairingOutcome;
import org.meshfold.replication.FolderStatus;

/**
 * One real device in a test: its own home (identity, SQLite index) and folder directory, run
 * in-process as a {@link DeviceNode} with real TLS sockets on loopback. It can be stopped and
 * started again with the same home, keeping its listen port. LAN discovery is off unless
 * {@link #discoverPeers} turns it on.
 */
final class TestDevice implements AutoCloseable {
    static final String FOLDER = "shared";
    private static final Duration SCAN_TIMEOUT = Duration.ofSeconds(60);

    final String name;
    final Path home;
    final Path folder;
    final DeviceId id;
    private final List<TestDevice> peers = new ArrayList<>();
    private InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 0);
    private DiscoveryConfig discovery = DiscoveryConfig.OFF;
    private RendezvousConfig rendezvous = RendezvousConfig.NONE;
    private boolean addressesConfigured = true;
    private DeviceNode node;

    TestDevice(String name, Path base) {
        this.name = name;
        this.home = base.resolve(name + "-home");
        this.folder = base.resolve(name + "-folder");
        try {
            Files.createDirectories(folder);
            this.id = DeviceIdentity.loadOrCreate(home).deviceId();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Devices that share the folder with this one (this one dials those already started). */
    void pairWith(TestDevice... others) {
        peers.addAll(List.of(others));
    }

    /**
     * Finds its peers by LAN discovery with {@code settings} (loopback targets only) instead of
     * having their addresses configured.
     */
    void discoverPeers(DiscoveryConfig settings) {
        discovery = settings;
    }

    /**
     * Keeps sessions with the rendezvous servers of {@code settings}; with {@code configuredAddresses}
     * false, its peers' addresses are not configured, so it can find them only there.
     */
    void useRendezvous(RendezvousConfig settings, boolean configuredAddresses) {
        rendezvous = settings;
        addressesConfigured = configuredAddresses;
    }

    /** The next start listens on a new port. */
    void forgetPort() {
        listen = new InetSocketAddress("127.0.0.1", 0);
    }

    void start() {
        List<PeerConfig> peerConfigs = new ArrayList<>();
        for (TestDevice p : peers) {
            boolean known = p.listen.getPort() != 0 && !discovery.lan() && addressesConfigured;
            List<InetSocketAddress> addresses = known ? List.of(p.listen) : List.of();
            peerConfigs.add(new PeerConfig(p.id, p.name, addresses));
        }
        Set<DeviceId> members = Set.copyOf(peers.stream().map(p -> p.id).toList());
        NodeConfig config = new NodeConfig(name, listen,
                List.of(new FolderConfig(FOLDER, FOLDER, folder, members)), peerConfigs,
                Duration.ofMinutes(10), Duration.ofMillis(100), discovery, rendezvous, false);
        try {
            node = DeviceNode.start(home, config, Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        listen = node.listenAddress();
    }

    void stop() {
        if (node != null) {
            node.close();
            node = null;
        }
    }

    InetSocketAddress listenAddress() {
        return listen;
    }

    Optional<InetSocketAddress> discoveryAddress() {
        return node.discoveryAddress();
    }

    boolean running() {
        return node != null;
    }

    FolderStatus status() {
        return node.status(FOLDER).orElseThrow();
    }

    boolean connectedTo(TestDevice other) {
        return node != null && node.connectedTo(other.id);
    }

    /** Closes the connection to {@code other} and refuses and stops dialing it until {@link #resume}. */
    void pause(TestDevice other) {
        node.pause(other.id);
    }

    /** Talks to {@code other} again, dialing it at once. */
    void resume(TestDevice other) {
        node.resume(other.id);
    }

    /** Scans the folder now and returns once a full scan started after this call is committed. */
    void scanNow() {
        try {
            node.scanNow().get(SCAN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("scan of " + this + " not committed within " + SCAN_TIMEOUT, e);
        } catch (ExecutionException e) {
            throw new AssertionError("scan of " + this + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the scan of " + this, e);
        }
    }

    NodeStatus snapshot() {
        return node.snapshot();
    }

    /** An invite to the shared folder, made by the running device. */
    Invite invite() {
        return node.invite(FOLDER, Duration.ofMinutes(5));
    }

    /** Joins with {@code invite} as the running device, syncing into this device's folder directory. */
    PairingOutcome join(Invite invite) throws Exception {
        return node.join(invite, folder);
    }

    Path file(String name) {
        return folder.resolve(name);
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return name;
    }
}
