package org.meshfold.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.meshfold.config.ConfigFile;
import org.meshfold.config.DiscoveryConfig;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;
import org.meshfold.config.PeerConfig;
import org.meshfold.config.RendezvousConfig;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.transport.Transport;

/**
 * A real device for daemon-module tests: its own home and folder under a temp directory, run
 * in-process as a {@link DeviceNode} listening on 127.0.0.1 (a free port). Its configuration is
 * also saved in the home, as {@code meshfold init} and {@code devices add} would.
 */
public final class TestNode implements AutoCloseable {
    public static final String FOLDER = "shared";

    public final String name;
    public final Path home;
    public final Path folder;
    public final DeviceId id;
    private DeviceNode node;

    public TestNode(Path base, String name) {
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

    /** The configuration sharing the folder with {@code peers}, dialing those already running; saved in the home. */
    public NodeConfig configure(TestNode... peers) {
        List<PeerConfig> peerConfigs = new ArrayList<>();
        for (TestNode p : peers) {
            peerConfigs.add(new PeerConfig(p.id, p.name, p.node == null ? List.of() : List.of(p.node.listenAddress())));
        }
        NodeConfig config = new NodeConfig(name, new InetSocketAddress("127.0.0.1", 0),
                List.of(new FolderConfig(FOLDER, FOLDER + "-label", folder,
                        Set.copyOf(List.of(peers).stream().map(p -> p.id).toList()))),
                peerConfigs, Duration.ofMinutes(10), Duration.ofMillis(100), DiscoveryConfig.OFF,
                RendezvousConfig.NONE, false);
        ConfigFile.save(home, config);
        return config;
    }

    public DeviceNode start(TestNode... peers) throws IOException {
        node = DeviceNode.start(home, configure(peers), Clock.systemUTC());
        return node;
    }

    /** Starts with QUIC on or off, making TCP + TLS transports with {@code tcp}. */
    public DeviceNode start(boolean quic, Transport.Factory tcp, TestNode... peers) throws IOException {
        NodeConfig config = configure(peers).withQuic(quic);
        ConfigFile.save(home, config);
        node = DeviceNode.start(home, config, Clock.systemUTC(), tcp);
        return node;
    }

    /**
     * Starts a device with a folder of its own (not the shared one) and no peers, configuration
     * saved to the home, as a device that will join the shared folder while it runs. The caller
     * closes the returned node.
     */
    public DeviceNode startWithOwnFolder() throws IOException {
        NodeConfig config = new NodeConfig(name, new InetSocketAddress("127.0.0.1", 0),
                List.of(new FolderConfig("own", "own", folder, Set.of())), List.of(),
                Duration.ofMinutes(10), Duration.ofMillis(100), DiscoveryConfig.OFF,
                RendezvousConfig.NONE, true);
        ConfigFile.save(home, config);
        return DeviceNode.start(home, config, Clock.systemUTC());
    }

    public DeviceNode node() {
        return node;
    }

    @Override
    public void close() {
        if (node != null) {
            node.close();
            node = null;
        }
    }

    /** Polls {@code condition} until it holds, failing after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
