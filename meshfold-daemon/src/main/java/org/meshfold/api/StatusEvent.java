package org.meshfold.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.meshfold.daemon.NodeStatus;

/**
 * One server-sent event: its type and a JSON-serializable payload. Types: {@code device-connected},
 * {@code device-disconnected}, {@code folder-state-changed}, {@code folder-in-sync},
 * {@code folder-out-of-sync}.
 */
record StatusEvent(String type, Object data) {

    record DeviceConnected(String device, String name, String pathType, String address) {
    }

    record DeviceDisconnected(String device, String name) {
    }

    record FolderStateChanged(String folder, String from, String to) {
    }

    record FolderSync(String folder, boolean inSync) {
    }

    /** The events that lead from {@code before} to {@code after}, devices first, in configuration order. */
    static List<StatusEvent> between(NodeStatus before, NodeStatus after) {
        List<StatusEvent> events = new ArrayList<>();
        Map<String, NodeStatus.Device> oldDevices = byId(before.devices(), NodeStatus.Device::id);
        for (NodeStatus.Device d : after.devices()) {
            NodeStatus.Device was = oldDevices.get(d.id());
            boolean wasConnected = was != null && was.connected();
            if (d.connected() && !wasConnected) {
                events.add(new StatusEvent("device-connected", new DeviceConnected(d.id(), d.name(), d.pathType(), d.address())));
            } else if (!d.connected() && wasConnected) {
                events.add(new StatusEvent("device-disconnected", new DeviceDisconnected(d.id(), d.name())));
            }
        }
        Map<String, NodeStatus.Folder> oldFolders = byId(before.folders(), NodeStatus.Folder::id);
        for (NodeStatus.Folder f : after.folders()) {
            NodeStatus.Folder was = oldFolders.get(f.id());
            if (was == null) {
                continue;
            }
            if (!Objects.equals(was.state(), f.state())) {
                events.add(new StatusEvent("folder-state-changed", new FolderStateChanged(f.id(), was.state(), f.state())));
            }
            if (f.inSync() != null && !f.inSync().equals(was.inSync())) {
                events.add(new StatusEvent(f.inSync() ? "folder-in-sync" : "folder-out-of-sync",
                        new FolderSync(f.id(), f.inSync())));
            }
        }
        return events;
    }

    private static <T> Map<String, T> byId(List<T> items, Function<T, String> id) {
        return items.stream().collect(Collectors.toMap(id, Function.identity(), (a, b) -> a));
    }

    /** The event in the text/event-stream format: {@code event: TYPE}, {@code data: JSON}, a blank line. */
    String toWire() {
        return "event: " + type + "\ndata: " + Json.write(data) + "\n\n";
    }
}
