package org.meshfold.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.api.ApiServer;
import org.meshfold.config.ConfigFile;
import org.meshfold.config.NodeConfig;
import org.meshfold.daemon.DeviceNode;
import org.meshfold.daemon.HomeLock;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;

/**
 * {@code invite}, {@code join} and {@code devices remove} against homes whose daemon runs (here
 * in-process, holding the home lock and serving the API as {@code meshfold run} does) and homes
 * without one.
 */
class DaemonCliTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path base;

    @Test
    void invite_runningDaemon_printsACodeAndReturns_anotherHomeJoinsWithoutADaemon() throws Exception {
        Path folderA = base.resolve("a-folder");
        Path folderB = base.resolve("b-folder");
        Path homeA = init("a", folderA);
        Path homeB = base.resolve("b-home");
        Files.writeString(folderA.resolve("report.txt"), "from a");
        try (Daemon a = Daemon.start(homeA)) {
            Cli.Result invite = Cli.run("invite", folderA.toString(), "--png", base.resolve("i.png").toString(),
                    "--home", homeA.toString());
            assertThat(invite.exit()).as(invite.err()).isZero();
            assertThat(invite.out()).contains("daemon running on this home accepts the device");
            assertThat(base.resolve("i.png")).isNotEmptyFile();

            Cli.Result join = Cli.run("join", invite.line("code:"), folderB.toString(), "--home", homeB.toString());

            assertThat(join.exit()).as(join.err()).isZero();
            DeviceId idB = DeviceIdentity.loadOrCreate(homeB).deviceId();
            assertThat(ConfigFile.load(homeA).folders().get(0).devices()).containsExactly(idB);
            try (Daemon b = Daemon.start(homeB)) {
                Await.until("a's file on b", DEADLINE, () -> hasContent(folderB.resolve("report.txt"), "from a"));
                assertThat(a.node.connectedTo(idB)).isTrue();
            }
        }
    }

    @Test
    void joinAndRemove_bothDaemonsRunning_syncStartsAtOnce_thenTheRemovedDeviceIsCutOff() throws Exception {
        Path folderA = base.resolve("a-folder");
        Path joined = base.resolve("b-joined");
        Path homeA = init("a", folderA);
        Path homeB = init("b", base.resolve("b-own"));
        Files.writeString(folderA.resolve("report.txt"), "from a");
        try (Daemon a = Daemon.start(homeA); Daemon b = Daemon.start(homeB)) {
            String code = Cli.run("invite", folderA.toString(), "--png", base.resolve("i.png").toString(),
                    "--home", homeA.toString()).line("code:");

            Cli.Result join = Cli.run("join", code, joined.toString(), "--home", homeB.toString());
            Cli.Result twice = Cli.run("join", code, joined.toString(), "--home", homeB.toString());

            assertThat(join.exit()).as(join.err()).isZero();
            assertThat(join.out()).contains("is syncing into " + joined);
            Await.until("a's file in b's joined folder", DEADLINE, () -> hasContent(joined.resolve("report.txt"), "from a"));
            assertThat(twice.exit()).as(twice.out() + twice.err()).isEqualTo(5);
            assertThat(twice.err()).isNotBlank();

            DeviceId idB = b.node.deviceId();
            Cli.Result remove = Cli.run("devices", "remove", idB.toString(), "--home", homeA.toString());
            Cli.Result again = Cli.run("devices", "remove", idB.toString(), "--home", homeA.toString());

            assertThat(remove.exit()).as(remove.err()).isZero();
            assertThat(remove.out()).contains("removed device " + idB);
            Await.until("b disconnected", DEADLINE, () -> !a.node.connectedTo(idB) && !b.node.connectedTo(a.node.deviceId()));
            assertThat(ConfigFile.load(homeA).knows(idB)).isFalse();
            assertThat(again.exit()).isEqualTo(2);
            assertThat(again.err()).contains("not paired");
        }
    }

    @Test
    void devicesRemove_noDaemon_editsTheConfiguration() throws Exception {
        Path homeA = init("a", base.resolve("a-folder"));
        DeviceId other = DeviceIdentity.loadOrCreate(base.resolve("other-home")).deviceId();
        assertThat(Cli.run("devices", "add", other.toString(), "--folder", base.resolve("a-folder").toString(),
                "--home", homeA.toString()).exit()).isZero();

        Cli.Result remove = Cli.run("devices", "remove", other.toString(), "--home", homeA.toString());
        Cli.Result again = Cli.run("devices", "remove", other.toString(), "--home", homeA.toString());
        Cli.Result malformed = Cli.run("devices", "remove", "not-an-id", "--home", homeA.toString());

        assertThat(remove.exit()).as(remove.err()).isZero();
        NodeConfig config = ConfigFile.load(homeA);
        assertThat(config.peers()).isEmpty();
        assertThat(config.folders().get(0).devices()).isEmpty();
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("not paired");
        assertThat(malformed.exit()).isEqualTo(2);
    }

    /** {@code meshfold init} of a home listening on a free loopback port. */
    private Path init(String name, Path folder) {
        Path home = base.resolve(name + "-home");
        Cli.Result init = Cli.run("init", folder.toString(), "--home", home.toString());
        assertThat(init.exit()).as(init.err()).isZero();
        ConfigFile.save(home, ConfigFile.load(home).withListen(new InetSocketAddress("127.0.0.1", 0)));
        return home;
    }

    private static boolean hasContent(Path file, String content) {
        try {
            return Files.isRegularFile(file) && Files.readString(file).equals(content);
        } catch (IOException e) {
            return false;
        }
    }

    /** What {@code meshfold run} holds: the home lock, the device and its API. */
    private record Daemon(HomeLock lock, DeviceNode node, ApiServer api) implements AutoCloseable {
        static Daemon start(Path home) throws IOException {
            HomeLock lock = HomeLock.acquire(home).orElseThrow();
            DeviceNode node = DeviceNode.start(home, ConfigFile.load(home), Clock.systemUTC());
            return new Daemon(lock, node, ApiServer.start(home, node, 0));
        }

        @Override
        public void close() {
            api.close();
            node.close();
            lock.close();
        }
    }
}
