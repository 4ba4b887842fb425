package org.meshfold.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.meshfold.api.ApiClient;
import org.meshfold.api.ApiRequestException;
import org.meshfold.api.ControlMessages.FolderAnswer;
import org.meshfold.api.DaemonUnreachableException;
import org.meshfold.config.ConfigFile;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;
import org.meshfold.daemon.LocalFolder;
import org.meshfold.identity.DeviceIdentity;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Creates the device identity (once) and adds a folder to sync. When a daemon runs on the home,
 * the daemon adds the folder and starts syncing it at once; otherwise the folder is recorded in
 * the home's configuration for the next {@code meshfold run}.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create this device's identity (first use) and add FOLDER to sync; prints the device id and folder id.")
final class InitCommand implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FOLDER", description = "Directory to sync (created if missing).")
    Path folder;

    @Option(names = "--label", description = "Human-readable folder label (default: directory name).")
    String label;

    @Option(names = "--folder-id", paramLabel = "ID",
            description = "Use this folder id (to join a folder another device already shares). Default: a new random id.")
    String folderId;

    @Override
    public Integer call() throws IOException {
        Path homeDir = home.resolve();
        Path dir = LocalFolder.prepare(folder.toAbsolutePath());
        if (folderId != null) {
            LocalFolder.checkId(folderId);
        }
        PrintWriter out = spec.commandLine().getOut();
        Optional<ApiClient> daemon = ApiClient.forHome(homeDir);
        if (daemon.isPresent()) {
            try {
                FolderAnswer added = daemon.get().addFolder(dir, label, folderId);
                print(out, DeviceIdentity.loadOrCreate(homeDir), added.id(), Path.of(added.path()));
                return ExitCodes.OK;
            } catch (DaemonUnreachableException e) {
                spec.commandLine().getErr().println("meshfold: " + e.getMessage() + "; adding the folder to " + homeDir
                        + " for the next 'meshfold run' instead");
            } catch (ApiRequestException e) {
                spec.commandLine().getErr().println("meshfold: " + e.getMessage());
                return e.status() == 400 ? ExitCodes.INVALID_INPUT : ExitCodes.ENVIRONMENT;
            }
        }
        DeviceIdentity identity = DeviceIdentity.loadOrCreate(homeDir);
        NodeConfig config = ConfigFile.exists(homeDir) ? ConfigFile.load(homeDir)
                : NodeConfig.defaults(java.net.InetAddress.getLocalHost().getHostName());
        FolderConfig existing = config.folders().stream().filter(f -> f.path().equals(dir)).findFirst().orElse(null);
        String id = existing != null ? existing.id() : folderId != null ? folderId : LocalFolder.newId();
        if (existing == null) {
            config.folder(id).ifPresent(other -> {
                throw new IllegalArgumentException("folder id " + id + " is already used for " + other.path()
                        + " on this device: choose another id, or none for a new one");
            });
            config = config.withFolder(new FolderConfig(id, label != null ? label : LocalFolder.defaultLabel(dir), dir,
                    Set.of()));
            ConfigFile.save(homeDir, config);
        }
        print(out, identity, id, dir);
        return ExitCodes.OK;
    }

    private static void print(PrintWriter out, DeviceIdentity identity, String folderId, Path dir) {
        out.println("device id: " + identity.deviceId());
        out.println("folder id: " + folderId);
        out.println("folder:    " + dir);
        out.flush();
    }
}
