package org.meshfold.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.meshfold.api.ApiClient;
import org.meshfold.api.ApiRequestException;
import org.meshfold.api.ControlMessages.InviteAnswer;
import org.meshfold.api.DaemonUnreachableException;
import org.meshfold.config.ConfigFile;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;
import org.meshfold.daemon.HomeLock;
import org.meshfold.daemon.PairingSession;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.pairing.Invite;
import org.meshfold.pairing.InviteCodec;
import org.meshfold.pairing.PendingInvites;
import org.meshfold.pairing.QrCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Prints a single-use invite (QR code and text) for a folder. When a daemon runs on the home, the
 * daemon makes the invite and accepts the joiner, and this command returns at once; otherwise it
 * answers the joiner itself, waiting until a device joins or the code expires.
 */
@Command(name = "invite", mixinStandardHelpOptions = true,
        description = "Invite a device to FOLDER: prints a QR code and an mf1: code, valid once, for --ttl. "
                + "With a running daemon, returns at once (the daemon accepts the device); otherwise waits "
                + "until the device joins.")
final class InviteCommand implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Parameters(paramLabel = "FOLDER", description = "Folder id or path (see 'meshfold init').")
    String folder;

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "10m", converter = DurationOption.class,
            description = "How long the code is valid, e.g. 90s, 10m, 2h (default: ${DEFAULT-VALUE}, at most 24h).")
    Duration ttl;

    @Option(names = "--png", paramLabel = "FILE",
            description = "Where to write the QR code as PNG (default: meshfold-invite-<timestamp>.png here).")
    Path png;

    @Option(names = "--light-terminal", description = "Draw the terminal QR code for a light background.")
    boolean lightTerminal;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (ttl.isZero() || ttl.compareTo(PendingInvites.MAX_TTL) > 0) {
            throw new IllegalArgumentException("--ttl must be between 1s and 24h");
        }
        Path homeDir = home.resolve();
        NodeConfig config = ConfigFile.load(homeDir);
        FolderConfig target = FolderArgument.find(config, folder);
        Clock clock = Clock.systemUTC();
        Optional<ApiClient> daemon = ApiClient.forHome(homeDir);
        if (daemon.isPresent()) {
            try {
                InviteAnswer answer = daemon.get().invite(target.id(), ttl);
                show(answer.code(), clock);
                System.out.println("The daemon running on this home accepts the device until the code expires"
                        + " (" + answer.expiresAt() + "); see 'meshfold devices'.");
                return ExitCodes.OK;
            } catch (DaemonUnreachableException e) {
                System.err.println("meshfold: " + e.getMessage() + "; inviting from the command line instead");
            } catch (ApiRequestException e) {
                System.err.println("meshfold: the daemon refused to make an invite: " + e.getMessage());
                return e.status() == 409 ? ExitCodes.PAIRING_FAILED : ExitCodes.INVALID_INPUT;
            }
        }
        try (HomeLock lock = HomeLock.acquire(homeDir).orElseThrow(() -> new HomeLockedException(
                "a meshfold daemon is running on " + homeDir + ": stop it (or use another --home) to invite from "
                        + "the command line"));
             PairingSession session = PairingSession.inviter(homeDir, DeviceIdentity.loadOrCreate(homeDir), config,
                     clock)) {
            Invite invite = session.invite(target, ttl);
            show(InviteCodec.encode(invite), clock);
            System.out.println("waiting for the other device to join…");
            System.out.flush();
            try {
                PairingSession.Paired joined = session.paired().get(ttl.toMillis(), TimeUnit.MILLISECONDS);
                System.out.println("paired with " + joined.device() + " (" + joined.name() + ") for folder "
                        + joined.folderId() + "; start 'meshfold run' on both devices to sync");
                return ExitCodes.OK;
            } catch (TimeoutException e) {
                System.err.println("meshfold: the invite expired without being used: run 'meshfold invite' again");
                return ExitCodes.PAIRING_FAILED;
            } catch (ExecutionException e) {
                throw new IllegalStateException("pairing failed", e.getCause());
            }
        }
    }

    /** Writes the PNG and prints the terminal QR code, the text code and how to join. */
    private void show(String code, Clock clock) throws IOException {
        Path pngFile = png != null ? png : Path.of(QrCodes.timestampedPngName(clock.instant(), ZoneId.systemDefault()));
        QrCodes.writePng(code, QrCodes.DEFAULT_PNG_SCALE, pngFile);
        System.out.print(QrCodes.terminalText(code,
                lightTerminal ? QrCodes.Terminal.LIGHT_BACKGROUND : QrCodes.Terminal.DARK_BACKGROUND));
        System.out.println();
        System.out.println("code: " + code);
        System.out.println("png:  " + pngFile.toAbsolutePath());
        System.out.println("Valid once, for " + ttl.toMinutes() + " min. On the other device run:");
        System.out.println("  meshfold join '" + code + "' FOLDER");
        System.out.flush();
    }
}
