package org.meshfold.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.meshfold.identity.DeviceId;

/**
 * Everything a device needs to run: its name, where it listens, its folders and paired devices,
 * scan timing, LAN discovery, rendezvous servers, and whether to use QUIC beside TCP + TLS
 * ({@code quic}; connections are raced, see {@code RacingTransport}). Immutable; {@link ConfigFile} reads and writes it.
 */
public record NodeConfig(
        String deviceName,
        InetSocketAddress listen,
        List<FolderConfig> folders,
        List<PeerConfig> peers,
        Duration fullRescanInterval,
        Duration watchDelay,
        DiscoveryConfig discovery,
        RendezvousConfig rendezvous,
        boolean quic) {

    public static final int DEFAULT_PORT = 22000;
    public static final Duration DEFAULT_RESCAN = Duration.ofMinutes(60);
    public static final Duration DEFAULT_WATCH_DELAY = Duration.ofMillis(100);

    public NodeConfig {
        folders = List.copyOf(folders);
        peers = List.copyOf(peers);
        Objects.requireNonNull(discovery, "discovery");
        Objects.requireNonNull(rendezvous, "rendezvous");
    }


    public static NodeConfig defaults(String deviceName) {
        return new NodeConfig(deviceName, new InetSocketAddress("0.0.0.0", DEFAULT_PORT), List.of(), List.of(),
                DEFAULT_RESCAN, DEFAULT_WATCH_DELAY, DiscoveryConfig.DEFAULT, RendezvousConfig.NONE, false);
    }

    public Optional<PeerConfig> peer(DeviceId id) {
        return peers.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    public Optional<FolderConfig> folder(String id) {
        return folders.stream().filter(f -> f.id().equals(id)).findFirst();
    }

    public NodeConfig withFolder(FolderConfig folder) {
        List<FolderConfig> all = new ArrayList<>(folders.stream().filter(f -> !f.id().equals(folder.id())).toList());
        all.add(folder);
        return new NodeConfig(deviceName, listen, all, peers, fullRescanInterval, watchDelay, discovery, rendezvous, quic);
    }

    public NodeConfig withPeer(PeerConfig peer) {
        List<PeerConfig> all = new ArrayList<>(peers.stream().filter(p -> !p.id().equals(peer.id())).toList());
        all.add(peer);
        return new NodeConfig(deviceName, listen, folders, all, fullRescanInterval, watchDelay, discovery, rendezvous, quic);
    }

    /**
     * This configuration with {@code device} paired and a member of {@code folderId}; known
     * addresses of the device are kept and {@code addresses} added.
     */
    public NodeConfig withMember(String folderId, DeviceId device, String name, List<InetSocketAddress> addresses) {
        FolderConfig folder = folder(folderId)
                .orElseThrow(() -> new ConfigException("no folder '" + folderId + "' in this configuration"));
        List<InetSocketAddress> all = new ArrayList<>(peer(device).map(PeerConfig::addresses).orElse(List.of()));
        addresses.stream().filter(a -> !all.contains(a)).forEach(all::add);
        return withPeer(new PeerConfig(device, name, all)).withFolder(folder.withDevice(device));
    }

    public NodeConfig withDiscovery(DiscoveryConfig newDiscovery) {
        return new NodeConfig(deviceName, listen, folders, peers, fullRescanInterval, watchDelay, newDiscovery, rendezvous, quic);
    }

    public NodeConfig withRendezvous(RendezvousConfig value) {
        return new NodeConfig(deviceName, listen, folders, peers, fullRescanInterval, watchDelay, discovery, value, quic);
    }

    /**
     * This configuration without {@code device}: not paired, and no longer a member of any folder.
     */
    public NodeConfig withoutDevice(DeviceId device) {
        List<FolderConfig> all = folders.stream().map(f -> f.withoutDevice(device)).toList();
        List<PeerConfig> rest = peers.stream().filter(p -> !p.id().equals(device)).toList();
        return new NodeConfig(deviceName, listen, all, rest, fullRescanInterval, watchDelay, discovery, rendezvous, quic);
    }

    /** True if {@code device} is paired or a member of a folder. */
    public boolean knows(DeviceId device) {
        return peer(device).isPresent() || folders.stream().anyMatch(f -> f.devices().contains(device));
    }

    public NodeConfig withQuic(boolean value) {
        return new NodeConfig(deviceName, listen, folders, peers, fullRescanInterval, watchDelay, discovery, rendezvous, value);
    }

    public NodeConfig withListen(InetSocketAddress address) {
        return new NodeConfig(deviceName, address, folders, peers, fullRescanInterval, watchDelay, discovery, rendezvous, quic);
    }
}
