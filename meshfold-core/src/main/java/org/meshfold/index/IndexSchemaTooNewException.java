package org.meshfold.index;

import java.nio.file.Path;

/**
 * The index database was written by a newer meshfold whose schema this version does not know.
 * Nothing was changed; the user can upgrade meshfold, or move the file away so the index is
 * rebuilt from disk (which resets this device's index epoch for its peers).
 */
public final class IndexSchemaTooNewException extends IndexStoreException {
    public IndexSchemaTooNewException(Path file, int found, int known) {
        super("index database " + file + " has schema version " + found + ", but this meshfold knows only up to "
                + known + ": it was written by a newer meshfold. Upgrade meshfold, or move the file away to "
                + "rebuild the index from disk");
    }
}
