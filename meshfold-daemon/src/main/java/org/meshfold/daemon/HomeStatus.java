package org.meshfold.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;
import org.meshfold.config.PeerConfig;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.index.IndexStore;

/**
 * The status of a home whose daemon is not running, read from its files: identity, configuration
 * and index. Nothing live is known, so folders are {@code stopped} and no device is connected.
 */
public final class HomeStatus {
    private HomeStatus() {
    }

    public static NodeStatus read(Path home, NodeConfig config) throws IOException {
        String id = DeviceIdentity.loadOrCreate(home).deviceId().toString();
        List<NodeStatus.Folder> folders = new ArrayList<>();
        Path db = home.resolve("index.db");
        // Without an index there is nothing to count, and opening one would create it.
        if (Files.exists(db)) {
            try (IndexStore store = IndexStore.open(db)) {
                for (FolderConfig f : config.folders()) {
                    folders.add(StatusViews.stopped(f, Optional.of(LocalTotals.of(store.folder(f.id())))));
                }
            }
        } else {
            config.folders().forEach(f -> folders.add(StatusViews.stopped(f, Optional.empty())));
        }
        List<NodeStatus.Device> devices = new ArrayList<>();
        for (PeerConfig p : config.peers()) {
            devices.add(StatusViews.device(config, p, Optional.empty()));
        }
        return new NodeStatus(id, config.deviceName(), false, StatusViews.hostPort(config.listen()), null, null, null,
                folders, devices);
    }
}
