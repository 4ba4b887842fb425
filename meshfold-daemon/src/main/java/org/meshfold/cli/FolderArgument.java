package org.meshfold.cli;

import java.nio.file.Path;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;

/** Finds a configured folder by its id or its path, as the user typed it. */
final class FolderArgument {
    private FolderArgument() {
    }

    static FolderConfig find(NodeConfig config, String idOrPath) {
        Path asPath = Path.of(idOrPath).toAbsolutePath().normalize();
        return config.folders().stream()
                .filter(f -> f.id().equals(idOrPath) || f.path().equals(asPath))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no folder with id or path '" + idOrPath
                        + "' on this device: add it first with 'meshfold init " + idOrPath + "'"));
    }
}
