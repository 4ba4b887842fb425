package org.meshfold.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.config.DiscoveryConfig;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;
import org.meshfold.config.PeerConfig;

/**
 * LAN discovery with the production settings (multicast 239.255.77.77 and interface broadcast on
 * port 21025, listening on 0.0.0.0:22000) between two daemons in two network namespaces that this
 * test creates and joins by a veth pair with addresses 10.77.x.1 and 10.77.x.2/24. Nothing leaves
 * those namespaces. Needs root and iproute2; skipped otherwise.
 */
class NamespaceLanDiscoveryTest {
    private static final Duration SYNCED = Duration.ofSeconds(60);

    @TempDir
    Path base;
    private final String tag = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
    private final String nsA = "mf-a-" + tag;
    private final String nsB = "mf-b-" + tag;
    private final List<AutoCloseable> open = new ArrayList<>();
    private boolean created;

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (created) {
            ip("netns", "del", nsA);
            ip("netns", "del", nsB);
        }
    }

    @Test
    void productionDefaults_pairedDaemonsOnOneLan_findEachOtherAndSync() throws Exception {
        assumeTrue(ip("netns", "add", nsA) == 0, "creating network namespaces needs root and iproute2");
        created = true;
        createLan();
        TestDevice a = new TestDevice("a", base);
        TestDevice b = new TestDevice("b", base);
        Files.writeString(a.file("from-a.txt"), "announced by multicast and broadcast");
        DaemonProcess daemonA = daemon(a, b, nsA);
        DaemonProcess daemonB = daemon(b, a, nsB);

        long started = System.nanoTime();
        daemonA.start();
        daemonB.start();
        Await.until("b to receive a's file over the namespace LAN", SYNCED,
                () -> hasContent(b.file("from-a.txt"), "announced by multicast and broadcast"),
                () -> "\na: " + log(a) + "\nb: " + log(b));

        System.out.printf("LAN discovery in network namespaces: file synced %d ms after starting both JVMs%n",
                (System.nanoTime() - started) / 1_000_000);
        for (TestDevice d : List.of(a, b)) {
            log(d).lines().filter(l -> l.contains("LAN") || l.contains("connected to") || l.contains("listening on"))
                    .forEach(l -> System.out.println(d.name + ": " + l));
        }
        assertThat(log(b)).contains("paired device " + a.id.shortText() + " discovered on the LAN at 10.77.");
    }

    /** Two namespaces joined by a veth pair: a LAN of two hosts, created inside the namespaces only. */
    private void createLan() throws IOException, InterruptedException {
        int net = 1 + ThreadLocalRandom.current().nextInt(250);
        require(ip("netns", "add", nsB));
        require(ip("-n", nsA, "link", "add", "mfa" + tag, "type", "veth", "peer", "name", "mfb" + tag, "netns", nsB));
        require(ip("-n", nsA, "addr", "add", "10.77." + net + ".1/24", "broadcast", "+", "dev", "mfa" + tag));
        require(ip("-n", nsB, "addr", "add", "10.77." + net + ".2/24", "broadcast", "+", "dev", "mfb" + tag));
        for (String[] nsDev : new String[][] {{nsA, "mfa" + tag}, {nsB, "mfb" + tag}}) {
            require(ip("-n", nsDev[0], "link", "set", "lo", "up"));
            require(ip("-n", nsDev[0], "link", "set", nsDev[1], "up"));
        }
    }

    private DaemonProcess daemon(TestDevice self, TestDevice peer, String namespace) {
        NodeConfig config = NodeConfig.defaults(self.name)
                .withFolder(new FolderConfig(TestDevice.FOLDER, TestDevice.FOLDER, self.folder, Set.of(peer.id)))
                .withPeer(new PeerConfig(peer.id, peer.name, List.of()));
        assertThat(config.discovery()).isEqualTo(DiscoveryConfig.DEFAULT);
        DaemonProcess d = new DaemonProcess(self.home, config, List.of("ip", "netns", "exec", namespace));
        open.add(d);
        return d;
    }

    private static String log(TestDevice d) {
        try {
            Path out = d.home.resolve("process.out");
            return Files.exists(out) ? Files.readString(out) : "(no output yet)";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static boolean hasContent(Path file, String expected) {
        try {
            return Files.isRegularFile(file) && Files.readString(file).equals(expected);
        } catch (IOException e) {
            return false;
        }
    }

    private static void require(int exit) {
        assertThat(exit).as("ip command exit code").isZero();
    }

    private static int ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return -1; // no iproute2
        }
        return p.waitFor(20, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
