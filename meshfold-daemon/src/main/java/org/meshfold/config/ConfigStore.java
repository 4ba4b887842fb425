package org.meshfold.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The configuration of a running device, changeable while it runs. Readers get the current
 * {@link NodeConfig} without locking; {@link #update} applies a change under a lock and saves it.
 *
 * <p>A change is applied to the running configuration and, separately, to {@code config.properties}
 * as it is on disk, so settings the daemon was started with but that are not in the file (such as
 * {@code run --listen}) are not written, and edits made to the file meanwhile are kept.
 */
public final class ConfigStore {
    private final Path home;
    private final Object lock = new Object();
    private volatile NodeConfig current;

    public ConfigStore(Path home, NodeConfig initial) {
        this.home = Objects.requireNonNull(home, "home");
        this.current = Objects.requireNonNull(initial, "initial");
    }

    public NodeConfig current() {
        return current;
    }

    /**
     * Applies {@code change} to the running configuration and to the home's file, and returns the
     * new running configuration. If the change throws, nothing is changed.
     *
     * @throws ConfigException if the file cannot be read or written (the running configuration is
     *     then unchanged too)
     */
    public NodeConfig update(UnaryOperator<NodeConfig> change) {
        synchronized (lock) {
            NodeConfig running = change.apply(current);
            NodeConfig onDisk = ConfigFile.exists(home) ? change.apply(ConfigFile.load(home)) : running;
            ConfigFile.save(home, onDisk);
            current = running;
            return running;
        }
    }
}
