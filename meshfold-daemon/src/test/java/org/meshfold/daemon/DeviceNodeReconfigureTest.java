package org.meshfold.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.config.ConfigFile;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.pairing.Invite;
import org.meshfold.pairing.PairingFailedException;
import org.meshfold.pairing.PairingOutcome;
import org.meshfold.protocol.NetworkOptions;
import org.meshfold.protocol.PeerConnectException;
import org.meshfold.protocol.PeerNetwork;
import org.slf4j.LoggerFactory;

/** Pairing and revoking while both daemons run: the changes take effect without a restart. */
class DeviceNodeReconfigureTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path base;

    /** What the TLS layer logs about refused handshakes: the client may only see the connection close (TLS 1.3). */
    private final ListAppender<ILoggingEvent> rejections = new ListAppender<>();
    private final Logger trustLog = (Logger) LoggerFactory.getLogger("org.meshfold.transport.tls.PinningTrustManager");

    @BeforeEach
    void captureRejections() {
        rejections.start();
        trustLog.addAppender(rejections);
    }

    @AfterEach
    void stopCapturing() {
        trustLog.detachAppender(rejections);
    }

    @Test
    void join_bothRunning_folderSyncsIntoTheNewDirectoryWithoutRestart() throws Exception {
        try (TestNode a = new TestNode(base, "a"); TestNode b = new TestNode(base, "b");
             DeviceNode nodeB = b.startWithOwnFolder()) {
            Files.writeString(a.folder.resolve("before.txt"), "shared before the join");
            DeviceNode nodeA = a.start();
            Invite invite = nodeA.invite(TestNode.FOLDER, Duration.ofMinutes(2));
            Path target = base.resolve("b-joined");

            PairingOutcome outcome = nodeB.join(invite, target);

            assertThat(outcome.inviter()).isEqualTo(a.id);
            assertThat(outcome.folderId()).isEqualTo(TestNode.FOLDER);
            TestNode.await("the file that was there before the join on b", DEADLINE,
                    () -> hasContent(target.resolve("before.txt"), "shared before the join"));
            Files.writeString(a.folder.resolve("after.txt"), "written after the join");
            TestNode.await("a file written after the join on b", DEADLINE,
                    () -> hasContent(target.resolve("after.txt"), "written after the join"));
            assertThat(nodeA.connectedTo(b.id)).isTrue();
            assertThat(ConfigFile.load(a.home).folder(TestNode.FOLDER).orElseThrow().devices()).containsExactly(b.id);
            NodeConfig savedB = ConfigFile.load(b.home);
            assertThat(savedB.folder(TestNode.FOLDER).orElseThrow().path()).isEqualTo(target);
            assertThat(savedB.peer(a.id).orElseThrow().addresses()).containsExactly(nodeA.listenAddress());
            assertThat(nodeB.snapshot().folders()).extracting(NodeStatus.Folder::id).contains("own", TestNode.FOLDER);
        }
    }

    @Test
    void join_codeUsedTwice_refusedAndNothingAdded() throws Exception {
        try (TestNode a = new TestNode(base, "a"); TestNode b = new TestNode(base, "b");
             TestNode c = new TestNode(base, "c");
             DeviceNode nodeB = b.startWithOwnFolder(); DeviceNode nodeC = c.startWithOwnFolder()) {
            Invite invite = a.start().invite(TestNode.FOLDER, Duration.ofMinutes(2));
            nodeB.join(invite, base.resolve("b-joined"));

            assertThatThrownBy(() -> nodeC.join(invite, base.resolve("c-joined")))
                    .isInstanceOf(PairingFailedException.class)
                    .hasMessageContaining("already used");
            assertThat(ConfigFile.load(c.home).folder(TestNode.FOLDER)).isEmpty();
            assertThat(base.resolve("c-joined")).doesNotExist();
            assertThat(nodeC.snapshot().folders()).extracting(NodeStatus.Folder::id).containsExactly("own");
        }
    }

    @Test
    void removeDevice_revokedDevice_isDisconnectedRefusedAndGetsNoFurtherChanges() throws Exception {
        try (TestNode a = new TestNode(base, "a"); TestNode b = new TestNode(base, "b");
             TestNode c = new TestNode(base, "c")) {
            DeviceNode nodeA = a.start(b, c);
            DeviceNode nodeB = b.start(a);
            DeviceNode nodeC = c.start(a);
            Files.writeString(a.folder.resolve("one.txt"), "before the revocation");
            TestNode.await("b and c have one.txt", DEADLINE, () -> hasContent(b.folder.resolve("one.txt"),
                    "before the revocation") && hasContent(c.folder.resolve("one.txt"), "before the revocation"));

            assertThat(nodeA.removeDevice(c.id)).isTrue();

            TestNode.await("c disconnected on both sides", DEADLINE,
                    () -> !nodeA.connectedTo(c.id) && !nodeC.connectedTo(a.id));
            assertThat(ConfigFile.load(a.home).knows(c.id)).isFalse();
            assertThat(dialAs(c, nodeA)).as("the revoked device's dial").isInstanceOf(PeerConnectException.class);
            assertThat(rejections.list).as("TLS handshakes refused by a").anyMatch(e ->
                    e.getFormattedMessage().contains("rejected TLS peer: device " + c.id + " is not paired"));
            Files.writeString(a.folder.resolve("two.txt"), "after the revocation");
            TestNode.await("b has two.txt", DEADLINE, () -> hasContent(b.folder.resolve("two.txt"), "after the revocation"));
            assertThat(c.folder.resolve("two.txt")).doesNotExist();
            assertThat(nodeA.connectedTo(c.id)).isFalse();
            assertThat(nodeA.snapshot().devices()).extracting(NodeStatus.Device::id).containsExactly(b.id.toString());
            assertThat(nodeA.removeDevice(c.id)).as("removing it again").isFalse();
            assertThat(nodeB.connectedTo(a.id)).isTrue();
        }
    }

    /** Dials {@code target} with {@code device}'s key and returns why that failed. */
    private static Throwable dialAs(TestNode device, DeviceNode target) throws Exception {
        NetworkOptions options = new NetworkOptions(DeviceIdentity.loadOrCreate(device.home),
                new InetSocketAddress("127.0.0.1", 0), id -> true, new RefusingListener());
        try (PeerNetwork network = PeerNetwork.start(options)) {
            var dial = network.connect(target.deviceId(), target.listenAddress());
            ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> dial.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            return failure.getCause();
        }
    }


    private static boolean hasContent(Path file, String content) {
        try {
            return Files.isRegularFile(file) && Files.readString(file).equals(content);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
