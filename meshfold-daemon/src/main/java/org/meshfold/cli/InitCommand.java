package org.meshfold.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.Callable;
import org.meshfold.config.ConfigFile;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;
import org.meshfold.identity.DeviceIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Creates the device identity (once) and adds a folder to sync. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create this device's identity (first use) and add FOLDER to sync; prints the device id and folder id.")
final class InitCommand implements Callable<Integer> {
    @Mixin
    HomeOption home;

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
        Path dir = folder.toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " exists and is not a directory: choose a directory to sync");
        }
        Files.createDirectories(dir);
        if (!Files.isWritable(dir)) {
            throw new IOException(dir + " is not writable by this user: fix its permissions or choose another directory");
        }
        if (folderId != null && !folderId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("folder id '" + folderId + "' must be 1-64 letters, digits, '.', '_' or '-'");
        }
        DeviceIdentity identity = DeviceIdentity.loadOrCreate(homeDir);
        NodeConfig config = ConfigFile.exists(homeDir) ? ConfigFile.load(homeDir)
                : NodeConfig.defaults(java.net.InetAddress.getLocalHost().getHostName());
        FolderConfig existing = config.folders().stream().filter(f -> f.path().equals(dir)).findFirst().orElse(null);
        String id = existing != null ? existing.id() : folderId != null ? folderId : newFolderId();
        if (existing == null) {
            config = config.withFolder(new FolderConfig(id, label != null ? label : dir.getFileName().toString(), dir, Set.of()));
            ConfigFile.save(homeDir, config);
        }
        System.out.println("device id: " + identity.deviceId());
        System.out.println("folder id: " + id);
        System.out.println("folder:    " + dir);
        return ExitCodes.OK;
    }

    private static String newFolderId() {
        String alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 11; i++) {
            sb.append(i == 5 ? '-' : alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
