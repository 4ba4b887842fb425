package org.meshfold.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.meshfold.api.ApiServer;
import org.meshfold.config.ConfigFile;
import org.meshfold.config.PeerConfig;
import org.meshfold.daemon.DeviceNode;
import org.meshfold.daemon.HomeLock;
import org.meshfold.daemon.TestNode;

/**
 * {@code meshfold sync} against real devices on 127.0.0.1: device a runs in this JVM with its
 * files, device b is only configured (standalone mode) or runs with its API (daemon mode).
 */
class SyncCommandTest extends CommandFixture {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    /** Device a, running with a few files (a nested one, an empty one, one of several blocks). */
    private TestNode runningWithFiles(TestNode peer) throws Exception {
        TestNode a = keep(new TestNode(base, "a"));
        Files.createDirectories(a.folder.resolve("docs/deep"));
        Files.writeString(a.folder.resolve("docs/readme.txt"), "hello from a");
        Files.write(a.folder.resolve("docs/deep/data.bin"), random(300_000, 7));
        Files.write(a.folder.resolve("empty"), new byte[0]);
        a.start(peer).scanNow().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        return a;
    }

    @Test
    void sync_standalone_pullsEverythingAndExitsZeroWithIdenticalTrees() throws Exception {
        TestNode b = keep(new TestNode(base, "b"));
        TestNode a = runningWithFiles(b);
        b.configure(a);

        Run run = meshfold("sync", b.folder.toString(), "--timeout", "60s", "--home", b.home.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(tree(b.folder)).isEqualTo(tree(a.folder)).hasSize(5);
        assertThat(run.out()).contains("folder " + TestNode.FOLDER + " is in sync with 1 device(s): 3 file(s)");
        assertThat(run.err()).contains("sync: " + TestNode.FOLDER + ":");
        try (HomeLock lock = HomeLock.acquire(b.home).orElseThrow(() -> new AssertionError("sync kept the home locked"))) {
            assertThat(lock).isNotNull();
        }
    }

    @Test
    void sync_standalone_localFileThePeerLacks_exitsOnlyOnceThePeerHasIt() throws Exception {
        TestNode b = keep(new TestNode(base, "b"));
        Files.write(b.folder.resolve("only-on-b.bin"), random(200_000, 11));
        TestNode a = runningWithFiles(b);
        b.configure(a);

        Run run = meshfold("sync", TestNode.FOLDER, "--json", "--timeout", "60s", "--home", b.home.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        // No waiting here: the command may only have exited once a had the file.
        assertThat(tree(a.folder)).containsKey("only-on-b.bin").isEqualTo(tree(b.folder));
        JsonNode summary = run.json();
        assertThat(summary.get("inSync").asBoolean()).isTrue();
        assertThat(summary.get("mode").asText()).isEqualTo("standalone");
        assertThat(summary.get("exitCode").asInt()).isZero();
        assertThat(summary.get("devicesInSync").asInt()).isEqualTo(1);
        assertThat(summary.get("filesPulled").asLong()).isEqualTo(3);
        assertThat(summary.has("reason")).isFalse();
    }

    @Test
    void sync_noPeerReachable_exitsWithTheTimeoutCodeNamingTheReason() throws Exception {
        TestNode a = new TestNode(base, "a");
        TestNode b = keep(new TestNode(base, "b"));
        int closedPort = closedPort();
        ConfigFile.save(b.home, b.configure(a).withPeer(new PeerConfig(a.id, "a",
                List.of(new InetSocketAddress("127.0.0.1", closedPort)))));
        long started = System.nanoTime();

        Run run = meshfold("sync", TestNode.FOLDER, "--timeout", "2s", "--json", "--home", b.home.toString());

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_IN_SYNC);
        assertThat(run.err()).contains("not in sync").contains("no paired device reachable")
                .contains("127.0.0.1:" + closedPort);
        JsonNode summary = run.json();
        assertThat(summary.get("inSync").asBoolean()).isFalse();
        assertThat(summary.get("exitCode").asInt()).isEqualTo(ExitCodes.NOT_IN_SYNC);
        assertThat(summary.get("reason").asText()).startsWith("no paired device reachable");
    }

    @Test
    void sync_daemonRunning_waitsThroughTheApi() throws Exception {
        TestNode b = keep(new TestNode(base, "b"));
        TestNode a = runningWithFiles(b);
        DeviceNode nodeB = b.start(a);
        keep(ApiServer.start(b.home, nodeB::snapshot, 0));

        Run run = meshfold("sync", TestNode.FOLDER, "--json", "--timeout", "60s", "--home", b.home.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.json().get("mode").asText()).isEqualTo("daemon");
        assertThat(tree(b.folder)).isEqualTo(tree(a.folder)).hasSize(5);
        assertThat(nodeB.snapshot().folders().getFirst().inSyncWithPeers()).isTrue();
    }

    @Test
    void sync_folderSharedWithNoDevice_isInvalidInput() {
        TestNode b = new TestNode(base, "b");
        b.configure();

        Run run = meshfold("sync", TestNode.FOLDER, "--home", b.home.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("not shared with any device").contains("meshfold invite");
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Every entry under {@code root}: directories as "dir", files by the SHA-256 of their bytes. */
    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> !p.equals(root)).forEach(p -> {
                String name = root.relativize(p).toString();
                try {
                    out.put(name, Files.isDirectory(p) ? "dir" : sha256(Files.readAllBytes(p)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return out;
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
