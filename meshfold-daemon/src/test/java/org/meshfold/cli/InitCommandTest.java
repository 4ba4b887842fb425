package org.meshfold.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.meshfold.api.ApiClient;
import org.meshfold.api.ApiKey;
import org.meshfold.api.ApiServer;
import org.meshfold.api.DaemonUnreachableException;
import org.meshfold.config.ConfigFile;
import org.meshfold.config.FolderConfig;
import org.meshfold.daemon.DeviceNode;
import org.meshfold.daemon.NodeStatus;
import org.meshfold.daemon.TestNode;

/** {@code meshfold init} with and without a daemon running on the home. */
class InitCommandTest extends CommandFixture {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void init_daemonRunning_daemonScansTheNewFolderWithoutRestart() throws Exception {
        TestNode a = keep(new TestNode(base, "a"));
        DeviceNode node = a.start();
        keep(ApiServer.start(a.home, node, 0));
        ApiClient api = ApiClient.forHome(a.home).orElseThrow();
        Path photos = base.resolve("photos");

        Run run = meshfold("init", photos.toString(), "--label", "Photos", "--home", a.home.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.line("device id:")).isEqualTo(a.id.toString());
        assertThat(run.line("folder:")).isEqualTo(photos.toString());
        String id = run.line("folder id:");
        assertThat(photos).isDirectory();
        assertThat(ConfigFile.load(a.home).folder(id)).hasValueSatisfying(f -> {
            assertThat(f.path()).isEqualTo(photos);
            assertThat(f.label()).isEqualTo("Photos");
        });
        Files.writeString(photos.resolve("beach.jpg"), "pixels");
        TestNode.await("the daemon's status counts the file in the new folder", DEADLINE,
                () -> localFiles(api, id) == 1);

        Run again = meshfold("init", photos.toString(), "--home", a.home.toString());

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.line("folder id:")).isEqualTo(id);
        assertThat(ConfigFile.load(a.home).folders()).extracting(FolderConfig::id)
                .containsExactlyInAnyOrder(TestNode.FOLDER, id);
        assertThat(node.snapshot().folders()).extracting(NodeStatus.Folder::id)
                .containsExactlyInAnyOrder(TestNode.FOLDER, id);
    }

    @Test
    void init_daemonRunningFolderIdOfAnotherDirectory_isInvalidInputAndChangesNothing() throws Exception {
        TestNode a = keep(new TestNode(base, "a"));
        keep(ApiServer.start(a.home, a.start(), 0));
        Path other = base.resolve("other");

        Run run = meshfold("init", other.toString(), "--folder-id", TestNode.FOLDER, "--home", a.home.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains(TestNode.FOLDER).contains("already used for " + a.folder);
        assertThat(ConfigFile.load(a.home).folders()).extracting(FolderConfig::path).containsExactly(a.folder);
        assertThat(a.node().snapshot().folders()).hasSize(1);
    }

    @Test
    void init_daemonRunningPathIsARegularFile_isInvalidInput() throws Exception {
        TestNode a = keep(new TestNode(base, "a"));
        keep(ApiServer.start(a.home, a.start(), 0));
        Path file = Files.writeString(base.resolve("notes.txt"), "text");

        Run run = meshfold("init", file.toString(), "--home", a.home.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains(file + " exists and is not a directory");
        assertThat(ConfigFile.load(a.home).folders()).hasSize(1);
    }

    @Test
    void init_addressFileLeftByACrashedDaemon_addsTheFolderToTheHome() throws Exception {
        TestNode a = new TestNode(base, "a");
        a.configure();
        ApiKey.loadOrCreate(a.home);
        int closedPort = staleAddressFile(a.home);
        Path photos = base.resolve("photos");

        Run run = meshfold("init", photos.toString(), "--home", a.home.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("127.0.0.1:" + closedPort).contains("for the next 'meshfold run'");
        String id = run.line("folder id:");
        assertThat(ConfigFile.load(a.home).folder(id)).hasValueSatisfying(f -> assertThat(f.path()).isEqualTo(photos));
    }

    private static long localFiles(ApiClient api, String folderId) {
        try {
            return api.status().folders().stream().filter(f -> f.id().equals(folderId) && f.localFiles() != null)
                    .mapToLong(NodeStatus.Folder::localFiles).findFirst().orElse(-1);
        } catch (DaemonUnreachableException e) {
            throw new AssertionError(e);
        }
    }
}
