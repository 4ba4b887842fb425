package org.meshfold.it.traversal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.meshfold.it.Await;
import org.meshfold.it.natlab.Host;

/**
 * A network between two lab hosts on which every packet, TCP or UDP, is lost with a probability
 * and delayed: each host gets a VXLAN interface {@value #DEVICE} whose encapsulated frames go to
 * an {@link ImpairingRelay} on a third host, which drops or delays them before passing them on.
 * The kernels' TCP and UDP stacks run unchanged above it; only the wire is userspace. Host
 * {@code a} is {@value #A_ADDRESS}, host {@code b} {@value #B_ADDRESS}; neighbour entries are
 * static, so no ARP has to cross the lossy wire. Needs {@code ethtool}.
 */
final class ImpairedOverlay implements AutoCloseable {
    static final String DEVICE = "lossy0";
    static final String A_ADDRESS = "10.77.0.1";
    static final String B_ADDRESS = "10.77.0.2";
    private static final int VXLAN_PORT = 4789;
    private static final String A_MAC = "02:00:00:77:00:01";
    private static final String B_MAC = "02:00:00:77:00:02";
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Process relay;
    private final Path log;

    private ImpairedOverlay(Process relay, Path log) {
        this.relay = relay;
        this.log = log;
    }

    /** Builds the overlay between {@code a} and {@code b} through a relay on {@code wire} that drops {@code loss} and delays by {@code delay}. */
    static ImpairedOverlay start(Host a, Host b, Host wire, double loss, Duration delay, Path dir) throws IOException {
        Path log = dir.resolve("impairing-relay.out");
        Files.deleteIfExists(log);
        Files.createFile(log);
        Process relay = wire.start(LabJava.impairingRelay(wire.address(), VXLAN_PORT, a.address(), b.address(), loss,
                delay.toMillis(), 77), log);
        ImpairedOverlay overlay = new ImpairedOverlay(relay, log);
        Await.until("the impairing relay on " + wire + " to listen", STARTUP, Duration.ofMillis(100),
                () -> LabLogs.tail(log, 20).contains(ImpairingRelay.READY), () -> LabLogs.tail(log, 20));
        endpoint(a, wire, A_ADDRESS, A_MAC, B_ADDRESS, B_MAC);
        endpoint(b, wire, B_ADDRESS, B_MAC, A_ADDRESS, A_MAC);
        return overlay;
    }

    private static void endpoint(Host host, Host wire, String address, String mac, String peer, String peerMac) {
        List<List<String>> commands = List.of(
                List.of("ip", "link", "add", DEVICE, "type", "vxlan", "id", "77", "dstport", String.valueOf(VXLAN_PORT),
                        "local", host.address(), "remote", wire.address()),
                List.of("ip", "link", "set", DEVICE, "address", mac),
                // Checksums computed before encapsulation: a relay in userspace does not complete offloaded ones.
                List.of("ethtool", "-K", DEVICE, "tx", "off"),
                List.of("ip", "addr", "add", address + "/24", "dev", DEVICE),
                List.of("ip", "link", "set", DEVICE, "up"),
                List.of("ip", "neigh", "replace", peer, "lladdr", peerMac, "dev", DEVICE, "nud", "permanent"));
        for (List<String> c : commands) {
            host.exec(c.toArray(String[]::new)).requireSuccess();
        }
    }

    /** The relay's counts so far: datagrams per direction and how many it dropped (after {@link #close}: all). */
    String counts() {
        return LabLogs.tail(log, 50).lines().filter(l -> l.startsWith("a->b")).reduce((x, y) -> y).orElse("(no counts)");
    }

    /** Stops the relay, which then prints its counts. */
    @Override
    public void close() {
        relay.destroy();
        try {
            if (!relay.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                relay.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            relay.destroyForcibly();
        }
    }
}
