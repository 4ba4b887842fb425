package org.meshfold.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.InvalidDeviceIdException;

/**
 * Reads and writes {@code config.properties} in the meshfold home. Keys:
 * <pre>
 * device.name = laptop
 * listen = 0.0.0.0:22000
 * rescan.interval.seconds = 3600
 * watch.delay.millis = 100
 * discovery.lan = true          (false: no LAN discovery socket, no announcements)
 * discovery.lan.port = 21025
 * discovery.lan.targets = 127.255.255.255:21025   (optional; set, announcements go only there)
 * transport.quic = false        (false: TCP + TLS only; true: QUIC on UDP with the same port, raced with TCP)
 * rendezvous = mfr://203.0.113.5:7443/&lt;server id&gt;,…   (optional; rendezvous servers, all used)
 * turn = turn:203.0.113.9:3478[?transport=tcp]        (optional; with turn.user and turn.password)
 * folder.&lt;id&gt;.label / .path / .devices (comma-separated device ids)
 * peer.&lt;device id&gt;.name / .addresses (comma-separated host:port)
 * </pre>
 * Writes are atomic (temp file, fsync, rename), so a crash never leaves half a config.
 */
public final class ConfigFile {
    public static final String NAME = "config.properties";

    private ConfigFile() {
    }

    public static Path path(Path home) {
        return home.resolve(NAME);
    }

    public static boolean exists(Path home) {
        return Files.isRegularFile(path(home));
    }

    public static NodeConfig load(Path home) {
        Path file = path(home);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage()
                    + " (run 'meshfold init FOLDER' to create a configuration)", e);
        }
        return parse(p, file);
    }

    static NodeConfig parse(Properties p, Path file) {
        String name = p.getProperty("device.name", hostName());
        InetSocketAddress listen = address(p.getProperty("listen", "0.0.0.0:" + NodeConfig.DEFAULT_PORT), file, "listen");
        Duration rescan = Duration.ofSeconds(number(p, "rescan.interval.seconds", NodeConfig.DEFAULT_RESCAN.toSeconds(), file));
        Duration watch = Duration.ofMillis(number(p, "watch.delay.millis", NodeConfig.DEFAULT_WATCH_DELAY.toMillis(), file));
        Map<String, Map<String, String>> folders = group(p, "folder.");
        Map<String, Map<String, String>> peers = group(p, "peer.");
        List<FolderConfig> folderList = new ArrayList<>();
        folders.forEach((id, keys) -> {
            String path = keys.get("path");
            if (path == null || path.isBlank()) {
                throw new ConfigException(file + ": folder." + id + ".path is missing");
            }
            Set<DeviceId> devices = new LinkedHashSet<>();
            for (String d : list(keys.get("devices"))) {
                devices.add(deviceId(d, file, "folder." + id + ".devices"));
            }
            folderList.add(new FolderConfig(id, keys.getOrDefault("label", id), Path.of(path), devices));
        });
        List<PeerConfig> peerList = new ArrayList<>();
        peers.forEach((id, keys) -> {
            List<InetSocketAddress> addresses = new ArrayList<>();
            for (String a : list(keys.get("addresses"))) {
                addresses.add(address(a, file, "peer." + id + ".addresses"));
            }
            DeviceId device = deviceId(id, file, "peer." + id);
            peerList.add(new PeerConfig(device, keys.getOrDefault("name", device.shortText()), addresses));
        });
        return new NodeConfig(name, listen, folderList, peerList, rescan, watch, discovery(p, file), rendezvous(p, file),
                flag(p, "transport.quic", false, file));
    }

    private static boolean flag(Properties p, String key, boolean fallback, Path file) {
        String value = p.getProperty(key, Boolean.toString(fallback)).trim();
        if (!value.equals("true") && !value.equals("false")) {
            throw new ConfigException(file + ": " + key + " must be true or false, got '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    private static DiscoveryConfig discovery(Properties p, Path file) {
        String lan = p.getProperty("discovery.lan", "true").trim();
        if (!lan.equals("true") && !lan.equals("false")) {
            throw new ConfigException(file + ": discovery.lan must be true or false, got '" + lan + "'");
        }
        long port = number(p, "discovery.lan.port", DiscoveryConfig.DEFAULT.port(), file);
        if (port < 1 || port > 65535) {
            throw new ConfigException(file + ": discovery.lan.port must be 1-65535, got " + port);
        }
        List<InetSocketAddress> targets = new ArrayList<>();
        for (String t : list(p.getProperty("discovery.lan.targets"))) {
            InetSocketAddress target = address(t, file, "discovery.lan.targets");
            if (target.isUnresolved() || target.getPort() == 0) {
                throw new ConfigException(file + ": discovery.lan.targets: '" + t + "' needs a resolvable host and a port");
            }
            targets.add(target);
        }
        return new DiscoveryConfig(Boolean.parseBoolean(lan), (int) port, targets);
    }

    private static RendezvousConfig rendezvous(Properties p, Path file) {
        List<org.meshfold.discovery.rendezvous.RendezvousUrl> servers;
        try {
            servers = RendezvousConfig.parseServers(p.getProperty("rendezvous", ""));
        } catch (ConfigException e) {
            throw new ConfigException(file + ": rendezvous: " + e.getMessage(), e);
        }
        String turn = p.getProperty("turn", "").trim();
        String user = p.getProperty("turn.user", "").trim();
        String password = p.getProperty("turn.password", "");
        Optional<TurnServer> turnServer;
        try {
            if (turn.isEmpty() && !(user + password).isEmpty()) {
                throw new ConfigException("turn.user and turn.password are set but turn (the TURN URL) is not");
            }
            turnServer = turn.isEmpty() ? Optional.empty() : Optional.of(TurnServer.parse(turn, user, password));
        } catch (ConfigException e) {
            throw new ConfigException(file + ": turn: " + e.getMessage(), e);
        }
        try {
            return new RendezvousConfig(servers, turnServer);
        } catch (ConfigException e) {
            throw new ConfigException(file + ": rendezvous: " + e.getMessage(), e);
        }
    }

    public static void save(Path home, NodeConfig config) {
        Properties p = new Properties();
        p.setProperty("device.name", config.deviceName());
        p.setProperty("listen", config.listen().getHostString() + ":" + config.listen().getPort());
        p.setProperty("rescan.interval.seconds", Long.toString(config.fullRescanInterval().toSeconds()));
        p.setProperty("watch.delay.millis", Long.toString(config.watchDelay().toMillis()));
        p.setProperty("discovery.lan", Boolean.toString(config.discovery().lan()));
        p.setProperty("transport.quic", Boolean.toString(config.quic()));
        p.setProperty("discovery.lan.port", Integer.toString(config.discovery().port()));
        if (!config.discovery().targets().isEmpty()) {
            p.setProperty("discovery.lan.targets", hostPorts(config.discovery().targets()));
        }
        RendezvousConfig rendezvous = config.rendezvous();
        if (!rendezvous.servers().isEmpty()) {
            p.setProperty("rendezvous", String.join(",", rendezvous.servers().stream().map(Object::toString).toList()));
        }
        rendezvous.turn().ifPresent(turn -> {
            p.setProperty("turn", turn.url());
            if (turn.hasCredentials()) {
                p.setProperty("turn.user", turn.user());
                p.setProperty("turn.password", turn.password());
            }
        });
        for (FolderConfig f : config.folders()) {
            p.setProperty("folder." + f.id() + ".label", f.label());
            p.setProperty("folder." + f.id() + ".path", f.path().toString());
            p.setProperty("folder." + f.id() + ".devices", String.join(",", f.devices().stream().map(DeviceId::toString).sorted().toList()));
        }
        for (PeerConfig peer : config.peers()) {
            p.setProperty("peer." + peer.id() + ".name", peer.name());
            p.setProperty("peer." + peer.id() + ".addresses", hostPorts(peer.addresses()));
        }
        StringWriter text = new StringWriter();
        try {
            p.store(text, null);
            // Properties.store writes in hash order; sorted lines keep the file readable and diffable.
            String sorted = "# meshfold configuration\n" + text.toString().lines()
                    .filter(l -> !l.startsWith("#")).sorted().collect(java.util.stream.Collectors.joining("\n", "", "\n"));
            writeAtomically(path(home), sorted.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException("cannot write " + path(home) + ": " + e.getMessage(), e);
        }
    }

    private static String hostPorts(List<InetSocketAddress> addresses) {
        return String.join(",", addresses.stream().map(a -> a.getHostString() + ":" + a.getPort()).toList());
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Map<String, Map<String, String>> group(Properties p, String prefix) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            if (!key.startsWith(prefix)) {
                continue;
            }
            String rest = key.substring(prefix.length());
            int dot = rest.lastIndexOf('.');
            if (dot <= 0) {
                continue;
            }
            out.computeIfAbsent(rest.substring(0, dot), k -> new TreeMap<>()).put(rest.substring(dot + 1), p.getProperty(key).trim());
        }
        return out;
    }

    private static List<String> list(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return List.of(value.split("\\s*,\\s*")).stream().filter(s -> !s.isBlank()).toList();
    }

    private static long number(Properties p, String key, long fallback, Path file) {
        String v = p.getProperty(key);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(file + ": " + key + " must be a non-negative whole number, got '" + v + "'");
        }
    }

    private static DeviceId deviceId(String text, Path file, String key) {
        try {
            return DeviceId.parse(text);
        } catch (InvalidDeviceIdException e) {
            throw new ConfigException(file + ": " + key + ": " + e.getMessage());
        }
    }

    /** Parses {@code host:port} (IPv6 as {@code [::1]:22000}). */
    public static InetSocketAddress address(String text, Path file, String key) {
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new ConfigException(file + ": " + key + ": '" + text + "' is not HOST:PORT");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(t.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(host, port);
        } catch (NumberFormatException e) {
            throw new ConfigException(file + ": " + key + ": '" + text + "' has no valid port (0-65535)");
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "meshfold-device";
        }
    }
}
