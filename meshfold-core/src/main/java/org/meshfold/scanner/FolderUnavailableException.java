package org.meshfold.scanner;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The folder root is missing or not a directory (an unmounted disk, a moved folder). Nothing is
 * scanned, so nothing is recorded as deleted.
 */
public final class FolderUnavailableException extends IOException {
    public FolderUnavailableException(Path root, String reason) {
        super("folder " + root + " is unavailable: " + reason + "; check that it exists and is mounted");
    }
}
