package org.meshfold.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.meshfold.api.ApiClient;
import org.meshfold.api.ApiRequestException;
import org.meshfold.api.ControlMessages.JoinAnswer;
import org.meshfold.api.DaemonUnreachableException;
import org.meshfold.config.ConfigFile;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;
import org.meshfold.config.PeerConfig;
import org.meshfold.daemon.HomeLock;
import org.meshfold.daemon.InviteJoiner;
import org.meshfold.daemon.JoinTarget;
import org.meshfold.daemon.PairingSession;
import org.meshfold.discovery.rendezvous.RendezvousUrl;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.pairing.InvalidInviteException;
import org.meshfold.pairing.Invite;
import org.meshfold.pairing.InviteCodec;
import org.meshfold.pairing.PairingFailedException;
import org.meshfold.pairing.PairingOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * Pairs with the device that printed an invite code, pinning its key from the code and proving
 * the code's secret, and adds the shared folder at FOLDER. When a daemon runs on the home, the
 * daemon pairs and starts syncing the folder at once; otherwise this command pairs and records
 * the folder for the next {@code meshfold run}.
 */
@Command(name = "join", mixinStandardHelpOptions = true,
        description = "Join a folder with an invite code from 'meshfold invite', syncing it into FOLDER.")
final class JoinCommand implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Parameters(index = "0", paramLabel = "CODE", description = "The mf1: code shown by 'meshfold invite'.")
    String code;

    @Parameters(index = "1", paramLabel = "FOLDER", description = "Directory to sync the folder into (created if missing).")
    Path folder;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Clock clock = Clock.systemUTC();
        Invite invite;
        try {
            invite = InviteCodec.decode(code, clock);
        } catch (InvalidInviteException e) {
            System.err.println("meshfold: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        Path homeDir = home.resolve();
        NodeConfig config = ConfigFile.exists(homeDir) ? ConfigFile.load(homeDir)
                : NodeConfig.defaults(java.net.InetAddress.getLocalHost().getHostName());
        Path dir = JoinTarget.check(folder.toAbsolutePath(), config, invite.folderId());
        Optional<ApiClient> daemon = ApiClient.forHome(homeDir);
        if (daemon.isPresent()) {
            try {
                JoinAnswer joined = daemon.get().join(code, dir);
                System.out.println("paired with " + joined.inviter() + " at " + joined.address());
                System.out.println("folder " + joined.folderId() + " (" + joined.folderLabel() + ") is syncing into "
                        + joined.path() + " (the daemon running on this home started it)");
                return ExitCodes.OK;
            } catch (DaemonUnreachableException e) {
                System.err.println("meshfold: " + e.getMessage() + "; joining from the command line instead");
            } catch (ApiRequestException e) {
                System.err.println("meshfold: " + e.getMessage());
                return e.status() == 400 ? ExitCodes.INVALID_INPUT : ExitCodes.PAIRING_FAILED;
            }
        }
        PairingOutcome outcome;
        List<java.net.InetSocketAddress> keep;
        DeviceIdentity identity = DeviceIdentity.loadOrCreate(homeDir);
        try (HomeLock lock = HomeLock.acquire(homeDir).orElseThrow(() -> new HomeLockedException(
                "a meshfold daemon is running on " + homeDir + ": stop it (or use another --home) to join from "
                        + "the command line"));
             PairingSession session = PairingSession.joiner(homeDir, identity, clock, servers(invite))) {
            outcome = InviteJoiner.pair(session.network(), identity, invite, config.deviceName(), clock,
                    session::reach);
            keep = InviteJoiner.dialable(outcome.address(), session.path(outcome.inviter()));
        } catch (PairingFailedException failed) {
            System.err.println("meshfold: " + failed.getMessage());
            return ExitCodes.PAIRING_FAILED;
        }
        Files.createDirectories(dir);
        if (config.folder(outcome.folderId()).isEmpty()) {
            config = config.withFolder(new FolderConfig(outcome.folderId(), outcome.folderLabel(), dir, Set.of()));
        }
        String name = config.peer(outcome.inviter()).map(PeerConfig::name).orElse(outcome.inviter().shortText());
        config = config.withMember(outcome.folderId(), outcome.inviter(), name, keep);
        if (config.rendezvous().servers().isEmpty() && !servers(invite).isEmpty()) {
            // A new device finds its inviter again through the servers the inviter uses.
            config = config.withRendezvous(config.rendezvous().withServers(servers(invite)));
            System.out.println("rendezvous servers from the code: " + String.join(",",
                    servers(invite).stream().map(Object::toString).toList()));
        }
        ConfigFile.save(homeDir, config);
        System.out.println("paired with " + outcome.inviter() + " at " + InviteJoiner.describe(outcome.address()));
        System.out.println("folder " + outcome.folderId() + " (" + outcome.folderLabel() + ") will sync into " + dir
                + " while 'meshfold run' runs");
        return ExitCodes.OK;
    }

    /** The invite's rendezvous servers that parse (a malformed one is reported when it is looked up). */
    private static List<RendezvousUrl> servers(Invite invite) {
        List<RendezvousUrl> out = new ArrayList<>();
        for (String url : invite.rendezvousUrls()) {
            try {
                out.add(RendezvousUrl.parse(url));
            } catch (IllegalArgumentException e) {
                // InviteJoiner names it when it tries the servers
            }
        }
        return out;
    }
}
