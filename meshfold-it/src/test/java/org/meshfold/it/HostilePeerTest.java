package org.meshfold.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.meshfold.index.Block;
import org.meshfold.index.BlockHash;
import org.meshfold.index.FileRecord;
import org.meshfold.protocol.codec.pb.BlockInfo;
import org.meshfold.protocol.codec.pb.Counter;
import org.meshfold.protocol.codec.pb.FileInfo;
import org.meshfold.protocol.codec.pb.Hello;
import org.meshfold.protocol.codec.pb.IndexUpdate;
import org.meshfold.protocol.codec.pb.Request;
import org.meshfold.protocol.codec.pb.Response;
import org.slf4j.LoggerFactory;

/**
 * A trusted but hostile device attacks a real running victim over real TLS with hand-crafted
 * frames, while an honest device keeps syncing the same folder with the victim. Each attack must
 * be refused with a specific reason, its connection closed, nothing outside the folder touched,
 * and the honest device must go on syncing. An unpaired device must not get past TLS, and a
 * symlink the hostile device planted must never carry a write out of the folder.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostilePeerTest {
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(20);
    private static final String SENTINEL_TEXT = "outside the folder, must stay as it is\n";

    private final AtomicLong epochs = new AtomicLong(1000);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Path outside;
    private Path world;
    private Path sentinel;
    private Path linkTarget;
    private FileTime sentinelMtime;
    private Set<String> outsideListing;
    private Set<String> worldListing;
    private TestDevice victim;
    private TestDevice honest;
    private TestDevice mallory;
    private TestDevice stranger;
    private RawPeer hostile;
    private int honestFiles;

    @BeforeAll
    void startDevices(@TempDir Path tmp) throws IOException {
        outside = tmp;
        // Devices live one level down, so "../../x" from the victim's folder lands in tmp, "a/../../x" in world.
        world = Files.createDirectories(tmp.resolve("world"));
        sentinel = Files.writeString(world.resolve("sentinel.txt"), SENTINEL_TEXT);
        sentinelMtime = Files.getLastModifiedTime(sentinel);
        linkTarget = Files.createDirectories(tmp.resolve("link-target"));
        victim = new TestDevice("victim", world);
        honest = new TestDevice("honest", world);
        mallory = new TestDevice("mallory", world);
        stranger = new TestDevice("stranger", world);
        victim.pairWith(honest, mallory);
        honest.pairWith(victim);
        outsideListing = listing(outside);
        worldListing = listing(world);

        logs.start();
        ((Logger) LoggerFactory.getLogger("org.meshfold")).addAppender(logs);
        victim.start();
        honest.start();
        Await.until("the honest device to connect to the victim", SYNC_TIMEOUT,
                () -> victim.connectedTo(honest) && honest.connectedTo(victim));
        honestSyncs();
    }

    @AfterEach
    void closeHostile() {
        if (hostile != null) {
            hostile.close();
            hostile = null;
        }
    }

    @AfterAll
    void stopDevices() {
        ((Logger) LoggerFactory.getLogger("org.meshfold")).detachAppender(logs);
        honest.close();
        victim.close();
    }

    @Test
    @Order(1)
    void blockWithWrongHash_disconnectsTheSenderAndTheFileIsNotCreated() throws IOException {
        byte[] content = TestData.bytes(42, 5000);
        Block block = new Block(0, content.length, BlockHash.sha256(content, 0, content.length));
        hostile = establishedHostile();
        hostile.send(RawPeer.INDEX_UPDATE, index(fileInfo("evil.bin").setSize(content.length)
                .addBlocks(BlockInfo.newBuilder().setOffset(0).setSize(content.length)
                        .setHash(ByteString.copyFrom(block.hash().bytes())))
                .setBlocksHash(ByteString.copyFrom(FileRecord.hashOf(List.of(block)).bytes()))));

        Await.until("the victim to request the announced block", SYNC_TIMEOUT,
                () -> hostile.firstOf(RawPeer.REQUEST).isPresent(), hostile::describe);
        Request request = Request.parseFrom(hostile.firstOf(RawPeer.REQUEST).orElseThrow().getPayload());
        assertThat(request.getName()).isEqualTo("evil.bin");
        assertThat(request.getHash().toByteArray()).isEqualTo(block.hash().bytes());
        byte[] wrong = TestData.bytes(43, request.getSize());
        hostile.send(RawPeer.RESPONSE, Response.newBuilder().setId(request.getId()).setData(ByteString.copyFrom(wrong))
                .build());

        assertRefused("sent block with wrong hash for evil.bin at 0");
        assertThat(victim.file("evil.bin")).doesNotExist();
        assertThat(honest.file("evil.bin")).doesNotExist();
    }

    static Stream<Arguments> escapingNames() {
        return Stream.of(
                Arguments.of("../../x", "invalid name '../../x': '.' or '..' component"),
                Arguments.of("/etc/x", "invalid name '/etc/x': absolute path or backslash"),
                Arguments.of("a/../../x", "invalid name 'a/../../x': '.' or '..' component"),
                Arguments.of("x\0.txt", "invalid name 'x\\0.txt': contains a NUL character"),
                Arguments.of("dir/" + "n".repeat(256), "a component is longer than 255 bytes"),
                Arguments.of(".meshfold-tmp-x", "uses the reserved temp-file prefix .meshfold-tmp-"));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("escapingNames")
    @Order(2)
    void indexRecordWithUnsafeName_isRefusedBeforeTouchingTheDisk(String name, String reason) {
        hostile = establishedHostile();

        hostile.send(RawPeer.INDEX_UPDATE, index(fileInfo(name)));

        assertRefused(reason);
        assertThat(Path.of("/etc/x")).doesNotExist();
    }

    @Test
    @Order(3)
    void frameOverTheSizeLimit_isRefusedFromItsLengthAlone() {
        hostile = establishedHostile();

        hostile.sendRaw(Unpooled.buffer().writeInt(100 << 20).writeBytes(TestData.bytes(5, 4096)));

        assertRefused("frame of 104857600 bytes exceeds the 67108864-byte limit");
    }

    @Test
    @Order(4)
    void garbageRightAfterTheTlsHandshake_isRefused() {
        hostile = RawPeer.dial(mallory.home, victim).awaitAuthenticated();
        byte[] garbage = new byte[32];
        Arrays.fill(garbage, (byte) 0xff);

        hostile.sendRaw(Unpooled.buffer().writeInt(garbage.length).writeBytes(garbage));

        assertRefused("frame of 32 bytes is not a message envelope");
    }

    @Test
    @Order(5)
    void versionVectorWithAMillionEntries_isRefused() {
        hostile = establishedHostile();
        FileInfo.Builder record = fileInfo("vector.txt").clearVersion();
        for (int i = 1; i <= 1_000_000; i++) {
            record.addVersion(Counter.newBuilder().setDevice(i).setValue(1));
        }

        hostile.send(RawPeer.INDEX_UPDATE, index(record));

        assertRefused("file 'vector.txt': version vector has 1000000 entries (max 10000)");
        assertThat(victim.file("vector.txt")).doesNotExist();
    }

    @Test
    @Order(6)
    void unpairedDevice_isRefusedDuringTheTlsHandshake() {
        hostile = RawPeer.dial(stranger.home, victim);
        // Queued until this side's handshake completes; TLS 1.3 lets a client finish before the server
        // has checked its certificate, so the Hello may even be sent. It must never be answered.
        hostile.send(RawPeer.HELLO, Hello.newBuilder().setDeviceName("stranger").setProtocolVersion(1).build());

        hostile.awaitClosed();

        assertThat(hostile.received()).as("frames from the victim").isEmpty();
        assertThat(Stream.iterate(hostile.failure(), Objects::nonNull, Throwable::getCause))
                .as("causes of the failure on the stranger's side")
                .anyMatch(t -> t instanceof SSLHandshakeException && t.getMessage().contains("certificate_unknown"));
        assertThat(logged(Level.WARN, "rejected TLS peer: device " + stranger.id, "is not paired with this device"))
                .hasSize(1);
        assertThat(logged(Level.INFO, stranger.id.toString(), "")).as("log lines about the stranger")
                .allMatch(e -> e.getLoggerName().endsWith("PinningTrustManager"));
        assertNothingOutsideChanged();
        honestSyncs();
    }

    @Test
    @Order(7)
    void fileUnderASymlinkPointingOutside_isNeverWrittenThroughTheLink() throws IOException {
        hostile = establishedHostile();
        byte[] content = TestData.bytes(77, 3000);
        hostile.serveBlocks(request -> content);
        hostile.send(RawPeer.INDEX_UPDATE, index(fileInfo("link").setType(2).setPermissions(0)
                .setSymlinkTarget(linkTarget.toString())));
        Await.until("the victim to create the symlink", SYNC_TIMEOUT, () -> Files.isSymbolicLink(victim.file("link")));

        Block block = new Block(0, content.length, BlockHash.sha256(content, 0, content.length));
        hostile.send(RawPeer.INDEX_UPDATE, index(fileInfo("link/x").setSize(content.length).setSequence(2)
                .addBlocks(BlockInfo.newBuilder().setOffset(0).setSize(content.length)
                        .setHash(ByteString.copyFrom(block.hash().bytes())))
                .setBlocksHash(ByteString.copyFrom(FileRecord.hashOf(List.of(block)).bytes()))));

        Await.until("the victim to refuse writing through the link", SYNC_TIMEOUT,
                () -> !logged(Level.INFO, "skipping 'link/x'", "refusing to write").isEmpty());
        assertThat(listing(linkTarget)).as("entries in the directory the link points to").isEmpty();
        assertThat(Files.isSymbolicLink(victim.file("link"))).isTrue();
        assertNothingOutsideChanged();
        honestSyncs();
    }

    /**
     * A hostile connection that completed Hello and cluster config. Each announces a new index
     * epoch, so the victim forgets whatever an earlier hostile connection announced.
     */
    private RawPeer establishedHostile() {
        return RawPeer.dial(mallory.home, victim).establish(TestDevice.FOLDER, epochs.incrementAndGet());
    }

    private void assertRefused(String reason) {
        hostile.awaitClosed();
        assertThat(hostile.closeReason()).as("reason in the victim's Close").contains(reason);
        assertThat(logged(Level.WARN, mallory.id.toString(), reason))
                .as("victim's log of the refusal").isNotEmpty();
        Await.until("the victim to drop the hostile device", SYNC_TIMEOUT, () -> !victim.connectedTo(mallory));
        assertNothingOutsideChanged();
        honestSyncs();
    }

    /**
     * The honest connection was never dropped, and a file created on the honest device after the
     * attack arrives at the victim, intact.
     */
    private void honestSyncs() {
        String name = "honest-" + (++honestFiles) + ".txt";
        byte[] content = ("written on the honest device, number " + honestFiles + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            Files.write(honest.file(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Await.until(name + " to reach the victim", SYNC_TIMEOUT, () -> hasContent(victim.file(name), content));
        assertThat(victim.connectedTo(honest)).isTrue();
        assertThat(logged(Level.INFO, honest.id.toString(), "")).as("log lines about the honest device")
                .noneMatch(e -> e.getFormattedMessage().contains("disconnected")
                        || e.getFormattedMessage().contains("closed the connection")
                        || e.getFormattedMessage().contains("closing connection"));
        Await.until("the honest device and the victim to hold the same names", SYNC_TIMEOUT,
                () -> Cluster.quick(victim.folder).keySet().equals(Cluster.quick(honest.folder).keySet()),
                () -> Cluster.quick(victim.folder) + " vs " + Cluster.quick(honest.folder));
    }

    private void assertNothingOutsideChanged() {
        try {
            assertThat(outside.resolve("x")).doesNotExist();
            assertThat(world.resolve("x")).doesNotExist();
            assertThat(victim.file("x")).doesNotExist();
            assertThat(Path.of("/etc/x")).doesNotExist();
            assertThat(listing(outside)).isEqualTo(outsideListing);
            assertThat(listing(world)).isEqualTo(worldListing);
            assertThat(Files.readString(sentinel)).isEqualTo(SENTINEL_TEXT);
            assertThat(Files.getLastModifiedTime(sentinel)).isEqualTo(sentinelMtime);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<ILoggingEvent> logged(Level atLeast, String fragment, String alsoContaining) {
        synchronized (logs) {
            return logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(atLeast))
                    .filter(e -> e.getFormattedMessage().contains(fragment)
                            && e.getFormattedMessage().contains(alsoContaining))
                    .toList();
        }
    }

    /** A record that is valid in every field but the one a test changes: an empty file by mallory. */
    private FileInfo.Builder fileInfo(String name) {
        long by = mallory.id.shortId();
        return FileInfo.newBuilder().setName(name).setType(0).setSize(0).setPermissions(0644)
                .setMtimeNanos(1_700_000_000_000_000_000L)
                .setBlocksHash(ByteString.copyFrom(FileRecord.EMPTY_CONTENT.bytes()))
                .addVersion(Counter.newBuilder().setDevice(by).setValue(1))
                .setHlcPhysical(System.currentTimeMillis()).setModifiedBy(by).setSequence(1);
    }

    private static IndexUpdate index(FileInfo.Builder record) {
        return IndexUpdate.newBuilder().setFolder(TestDevice.FOLDER).addFiles(record).build();
    }

    private static boolean hasContent(Path file, byte[] content) {
        try {
            return Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), content);
        } catch (IOException e) {
            return false;
        }
    }

    private static Set<String> listing(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(TreeSet::new, Set::add, Set::addAll);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
