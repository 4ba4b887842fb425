package org.meshfold.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.meshfold.config.ConfigFile;
import org.meshfold.config.NodeConfig;
import org.meshfold.daemon.HomeLock;

/**
 * Changes the home's {@code config.properties}. Without a daemon, under the home lock; with a
 * running daemon (which holds the lock), the file is changed anyway, which the daemon's own later
 * changes keep (it re-reads the file before each write), and the user is told the daemon takes
 * the setting at its next start.
 */
final class ConfigEdit {
    private ConfigEdit() {
    }

    /** Applies {@code change}, prints {@code done} and, with a running daemon, that it needs a restart. */
    static NodeConfig apply(Path home, UnaryOperator<NodeConfig> change, String done) {
        if (!ConfigFile.exists(home)) {
            throw new org.meshfold.config.ConfigException("no configuration in " + home
                    + ": run 'meshfold init FOLDER' first");
        }
        Optional<HomeLock> lock = HomeLock.acquire(home);
        try {
            NodeConfig after = change.apply(ConfigFile.load(home));
            ConfigFile.save(home, after);
            System.out.println(done);
            if (lock.isEmpty()) {
                System.out.println("A daemon is running on " + home + ": restart it ('meshfold run') to use the "
                        + "new setting.");
            }
            return after;
        } finally {
            lock.ifPresent(HomeLock::close);
        }
    }
}
