package org.meshfold.it.traversal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.meshfold.config.DiscoveryConfig;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;
import org.meshfold.config.PeerConfig;
import org.meshfold.it.Await;
import org.meshfold.it.natlab.Host;

/**
 * Two lab devices already paired for one folder, for fault injection: the sender {@code a} and
 * the receiver {@code b}, each a {@code meshfold run} daemon in its lab host. The pairing is
 * written into both homes (as invite and join leave it), so a test spends its time on the fault,
 * not on pairing: with {@link #direct} each device knows the other's public address; with
 * {@link #viaRendezvous} neither knows an address, and they find each other (and punch) through
 * the lab's rendezvous server. LAN discovery is off.
 *
 * <p>Figures come from {@code status --json}: the folder's byte counters ({@link FolderView}) and
 * the connection to the other device ({@link LinkView}), whose instants are the daemons' clocks,
 * the clock of this machine.
 */
final class FaultPair implements AutoCloseable {
    static final String FOLDER = "faults";
    static final Duration POLL = Duration.ofMillis(100);

    /** One folder's counters on one device; bytes served and downloaded count since that daemon started. */
    record FolderView(long bytesServed, long bytesDownloaded, long localFiles, long localBytes, int needFiles,
                      boolean inSync) {
    }

    /** One device's connection to the other: instants are null while unknown. */
    record LinkView(boolean connected, String path, String transport, String address, Instant connectedSince,
                    Instant lastActivity) {
        static final LinkView NONE = new LinkView(false, null, null, null, null, null);

        @Override
        public String toString() {
            return connected ? path + " " + transport + " " + address + " since " + connectedSince + ", last heard "
                    + lastActivity : "not connected";
        }
    }

    final LabDevice a;
    final LabDevice b;
    private final Path dir;

    private FaultPair(LabDevice a, LabDevice b, Path dir) {
        this.a = a;
        this.b = b;
        this.dir = dir;
    }

    /** Devices on public hosts that dial each other at their addresses (port {@value NodeConfig#DEFAULT_PORT}). */
    static FaultPair direct(Host sender, Host receiver, Path dir) throws IOException {
        return direct(sender, sender.address(), receiver, receiver.address(), dir);
    }

    /** As {@link #direct(Host, Host, Path)}, dialling the given addresses of the hosts (for example on an overlay). */
    static FaultPair direct(Host sender, String senderAddress, Host receiver, String receiverAddress, Path dir)
            throws IOException {
        FaultPair pair = new FaultPair(new LabDevice("a", sender, dir), new LabDevice("b", receiver, dir), dir);
        pair.configure(List.of(address(senderAddress)), List.of(address(receiverAddress)), null);
        return pair;
    }

    /** Devices (behind NATs) that find each other only through the rendezvous server at {@code url}. */
    static FaultPair viaRendezvous(Host sender, Host receiver, String url, Path dir) throws IOException {
        FaultPair pair = new FaultPair(new LabDevice("a", sender, dir), new LabDevice("b", receiver, dir), dir);
        pair.configure(List.of(), List.of(), url);
        return pair;
    }

    private static InetSocketAddress address(String host) {
        return new InetSocketAddress(host, NodeConfig.DEFAULT_PORT);
    }

    private void configure(List<InetSocketAddress> aAddresses, List<InetSocketAddress> bAddresses, String rendezvous)
            throws IOException {
        Files.createDirectories(a.folder());
        Files.createDirectories(b.folder());
        a.configure(c -> c.withDiscovery(DiscoveryConfig.OFF)
                .withFolder(new FolderConfig(FOLDER, FOLDER, a.folder(), Set.of(b.id())))
                .withPeer(new PeerConfig(b.id(), "b", bAddresses)));
        b.configure(c -> c.withDiscovery(DiscoveryConfig.OFF)
                .withFolder(new FolderConfig(FOLDER, FOLDER, b.folder(), Set.of(a.id())))
                .withPeer(new PeerConfig(a.id(), "a", aAddresses)));
        if (rendezvous != null) {
            for (LabDevice d : List.of(a, b)) {
                d.cli("config", "set", "rendezvous", rendezvous).requireSuccess();
            }
        }
    }

    Path dir() {
        return dir;
    }

    void start() {
        a.start();
        b.start();
    }

    /** Waits until both devices report the connection. */
    void awaitConnected(Duration timeout) {
        Await.until("a and b to report each other connected", timeout, POLL,
                () -> link(a).connected() && link(b).connected(), this::describe);
    }

    /** Waits until the receiver holds {@code files} files of {@code bytes} bytes in total and needs nothing. */
    void awaitReceived(long files, long bytes, Duration timeout) {
        Await.until("b to hold " + files + " files of " + bytes + " bytes", timeout, Duration.ofMillis(250), () -> {
            FolderView v = folder(b);
            return v.localFiles() == files && v.localBytes() == bytes && v.needFiles() == 0;
        }, this::describe);
    }

    /**
     * Waits until each device has heard the other after {@code since} (bytes arrived, on the old
     * connection or a new one) and returns how long after {@code since} the later of the two did,
     * as the daemons report it ({@code lastActivity}). A poll sees the latest arrival, so the
     * figure may exceed the first arrival by up to one poll: it errs on the slow side.
     */
    Duration awaitHeardAfter(Instant since, Duration timeout) {
        Instant[] heard = new Instant[2];
        LabDevice[] devices = {a, b};
        Await.until("a and b to hear each other after " + since, timeout, Duration.ofMillis(20), () -> {
            for (int i = 0; i < 2; i++) {
                if (heard[i] == null) {
                    LinkView v = link(devices[i]);
                    if (v.connected() && v.lastActivity() != null && v.lastActivity().isAfter(since)) {
                        heard[i] = v.lastActivity();
                    }
                }
            }
            return heard[0] != null && heard[1] != null;
        }, this::describe);
        return Duration.between(since, heard[0].isAfter(heard[1]) ? heard[0] : heard[1]);
    }

    /**
     * Writes a small file named {@code name} into the sender's folder and waits until the receiver
     * holds it; returns how long after {@code since} it did (polling the receiver's folder).
     */
    Duration writeAndAwaitAtReceiver(String name, Instant since, Duration timeout) throws IOException {
        String content = name + " written on a at " + Instant.now() + "\n";
        Files.writeString(a.file(name), content);
        Instant[] arrived = new Instant[1];
        Await.until("b to receive " + name, timeout, Duration.ofMillis(20), () -> {
            if (PairRun.hasContent(b.file(name), content)) {
                arrived[0] = Instant.now();
                return true;
            }
            return false;
        }, this::describe);
        return Duration.between(since, arrived[0]);
    }

    /** The folder as {@code device} reports it; zeros while its daemon does not answer yet. */
    FolderView folder(LabDevice device) {
        JsonNode status = device.liveStatus().orElse(null);
        if (status == null) {
            return new FolderView(0, 0, 0, 0, Integer.MAX_VALUE, false);
        }
        for (JsonNode f : status.path("folders")) {
            if (f.path("id").asText().equals(FOLDER)) {
                return new FolderView(f.path("bytesServed").asLong(), f.path("bytesDownloaded").asLong(),
                        f.path("localFiles").asLong(), f.path("localBytes").asLong(),
                        f.path("needFiles").asInt(Integer.MAX_VALUE), f.path("inSync").asBoolean(false));
            }
        }
        throw new AssertionError(device + " does not report folder " + FOLDER + ": " + status);
    }

    /** {@code device}'s connection to the other device of the pair. */
    LinkView link(LabDevice device) {
        String other = (device == a ? b : a).id().toString();
        JsonNode status = device.liveStatus().orElse(null);
        if (status == null) {
            return LinkView.NONE;
        }
        for (JsonNode d : status.path("devices")) {
            if (d.path("id").asText().equals(other)) {
                return new LinkView(d.path("connected").asBoolean(false), text(d, "path"), text(d, "transport"),
                        text(d, "address"), instant(d, "connectedSince"), instant(d, "lastActivity"));
            }
        }
        return LinkView.NONE;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        return Optional.ofNullable(text(node, field)).map(Instant::parse).orElse(null);
    }

    /** Both devices' view of the connection, for failure messages. */
    String describe() {
        try {
            return "(a: " + link(a) + "; b: " + link(b) + ")";
        } catch (AssertionError e) {
            return "(" + e.getMessage().lines().findFirst().orElse("") + ")";
        }
    }

    /** A step of a test that may fail. */
    interface Step<T> {
        T run() throws Exception;
    }

    /** Runs {@code step}; if it fails, prints the end of both daemons' logs first. */
    <T> T diagnosed(Step<T> step) throws Exception {
        try {
            return step.run();
        } catch (Exception | AssertionError e) {
            System.out.println("=== " + dir + " failed: " + e.getMessage() + "\n" + logTails(60));
            throw e;
        }
    }

    /** The end of both daemons' logs. */
    String logTails(int lines) {
        return a.logTails(lines) + "\n" + b.logTails(lines);
    }

    @Override
    public void close() {
        a.close();
        b.close();
    }
}
