package org.meshfold.replication;

import java.util.Collection;

/**
 * Asks the scanner to look at some names again, because the sync logic found them different on
 * disk from the local index. Implemented by the scanner side; must return quickly.
 */
@FunctionalInterface
public interface RescanRequester {
    void rescan(Collection<String> names);
}
