package org.meshfold.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.daemon.HomeLock;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.pairing.Invite;
import org.meshfold.pairing.InviteCodec;

/**
 * Bad input to the command line gets a clear message, a documented exit code and changes
 * nothing: a second daemon on one home, an expired code, a folder that cannot be written.
 */
class CliRefusalsTest {
    @TempDir
    Path base;

    @Test
    void run_secondDaemonOnTheSameHome_exits4AndSaysSo() {
        Path home = base.resolve("home");
        assertThat(Cli.run("init", base.resolve("folder").toString(), "--home", home.toString()).exit()).isZero();
        try (HomeLock running = HomeLock.acquire(home).orElseThrow()) {
            Cli.Result second = Cli.run("run", "--home", home.toString());

            assertThat(second.exit()).isEqualTo(4);
            assertThat(second.err()).contains("already running on " + home);
        }
    }

    @Test
    void join_expiredCode_exits2NamingTheExpiryAndWritesNothing() throws IOException {
        Path home = base.resolve("joiner");
        String code = InviteCodec.encode(invite(Instant.now().minusSeconds(60)));

        Cli.Result r = Cli.run("join", code, base.resolve("into").toString(), "--home", home.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("expired").contains("meshfold invite");
        assertThat(home.resolve("config.properties")).doesNotExist();
        assertThat(base.resolve("into")).doesNotExist();
    }

    @Test
    void join_readOnlyFolder_isRefusedBeforePairing() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to make a read-only bind mount");
        Path readOnly = Files.createDirectories(base.resolve("read-only"));
        assumeTrue(sh("mount", "--bind", readOnly.toString(), readOnly.toString()) == 0, "bind mounts unavailable");
        try {
            assertThat(sh("mount", "-o", "remount,ro,bind", readOnly.toString())).isZero();
            Path home = base.resolve("joiner");
            String code = InviteCodec.encode(invite(Instant.now().plusSeconds(600)));

            Cli.Result r = Cli.run("join", code, readOnly.resolve("sync").toString(), "--home", home.toString());

            assertThat(r.exit()).isEqualTo(3);
            assertThat(r.err()).contains("is not writable");
            assertThat(home.resolve("config.properties")).doesNotExist();
        } finally {
            sh("umount", readOnly.toString());
        }
    }

    /** An invite from a device that is never contacted (the refusals happen before dialing). */
    private Invite invite(Instant expiry) throws IOException {
        var inviter = DeviceIdentity.loadOrCreate(base.resolve("inviter")).deviceId();
        return new Invite(inviter, "f-1", "Folder", List.of(new InetSocketAddress("127.0.0.1", 9)), List.of(),
                new byte[Invite.SECRET_BYTES], expiry);
    }

    private static int sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
