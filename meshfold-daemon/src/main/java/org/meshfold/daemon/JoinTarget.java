package org.meshfold.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.meshfold.config.NodeConfig;

/** Checks where a joined folder will be synced into, before the invite is spent on pairing. */
public final class JoinTarget {
    private JoinTarget() {
    }

    /**
     * The normalized directory to sync {@code folderId} into.
     *
     * @throws IllegalArgumentException if {@code dir} is not absolute, exists and is not a
     *     directory, or the folder is already synced into another directory on this device
     * @throws IOException if the directory (or its nearest existing parent) is not writable
     */
    public static Path check(Path dir, NodeConfig config, String folderId) throws IOException {
        if (!dir.isAbsolute()) {
            throw new IllegalArgumentException("folder path '" + dir + "' must be absolute");
        }
        Path normal = dir.normalize();
        if (Files.exists(normal) && !Files.isDirectory(normal)) {
            throw new IllegalArgumentException(normal + " exists and is not a directory: choose a directory to sync into");
        }
        config.folder(folderId).filter(f -> !f.path().equals(normal)).ifPresent(f -> {
            throw new IllegalArgumentException("folder " + f.id() + " is already synced into " + f.path()
                    + " on this device");
        });
        Path existing = normal;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isWritable(existing)) {
            throw new IOException((existing == null ? normal : existing) + " is not writable by this user: "
                    + "fix its permissions or choose another directory");
        }
        return normal;
    }
}
