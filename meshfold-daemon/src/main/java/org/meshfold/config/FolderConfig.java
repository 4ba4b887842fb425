package org.meshfold.config;

import java.nio.file.Path;
import java.util.Set;
import org.meshfold.identity.DeviceId;

/** A synced folder: its id (the same on every member), label, local path and member devices. */
public record FolderConfig(String id, String label, Path path, Set<DeviceId> devices) {
    public FolderConfig {
        devices = Set.copyOf(devices);
    }

    public FolderConfig withDevice(DeviceId device) {
        var all = new java.util.HashSet<>(devices);
        all.add(device);
        return new FolderConfig(id, label, path, all);
    }

    public FolderConfig withoutDevice(DeviceId device) {
        var rest = new java.util.HashSet<>(devices);
        rest.remove(device);
        return new FolderConfig(id, label, path, rest);
    }
}
