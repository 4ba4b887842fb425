package org.meshfold.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.meshfold.daemon.NodeStatus;

/**
 * One server-sent event: its type and a JSON-serializable payload. Types: {@code device-connected},
 * {@code device-disconnected}, {@code device-reconnecting} (a dial attempt after a loss),
 * {@code device-reconnected} (connected again, with the downtime), {@code device-path-changed},
 * {@code device-quality-changed}, {@code folder-state-changed}, {@code folder-in-sync},
 * {@code folder-out-of-sync}, {@code transfer-resumed} (pulls continued from the verified blocks of
 * interrupted transfers).
 */
record StatusEvent(String type, Object data) {

    record DeviceConnected(String device, String name, String path, String address) {
    }

    record DeviceDisconnected(String device, String name) {
    }

    /** {@code attempts}: dial attempts since the device was last connected; {@code nextAttempt}: ISO-8601. */
    record DeviceReconnecting(String device, String name, int attempts, String nextAttempt) {
    }

    record DeviceReconnected(String device, String name, long downtimeMillis, String path, String address) {
    }

    /** {@code from} and {@code to}: "PATHTYPE TRANSPORT ADDRESS", as far as known. */
    record DevicePathChanged(String device, String name, String from, String to) {
    }

    record DeviceQualityChanged(String device, String name, String from, String to) {
    }

    record FolderStateChanged(String folder, String from, String to) {
    }

    record FolderSync(String folder, boolean inSync) {
    }

    /** {@code files} pulls continued, keeping {@code bytesKept} verified bytes, since the previous event. */
    record TransferResumed(String folder, long files, long bytesKept) {
    }

    /** The events that lead from {@code before} to {@code after}, devices first, in configuration order. */
    static List<StatusEvent> between(NodeStatus before, NodeStatus after) {
        List<StatusEvent> events = new ArrayList<>();
        Map<String, NodeStatus.Device> oldDevices = byId(before.devices(), NodeStatus.Device::id);
        for (NodeStatus.Device d : after.devices()) {
            deviceEvents(oldDevices.get(d.id()), d, events);
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
            if (f.filesResumed() != null && was.filesResumed() != null && f.filesResumed() > was.filesResumed()) {
                events.add(new StatusEvent("transfer-resumed", new TransferResumed(f.id(),
                        f.filesResumed() - was.filesResumed(), f.bytesResumed() - was.bytesResumed())));
            }
        }
        return events;
    }

    /** The events of one device; {@code was} is null for a device that was not paired before. */
    private static void deviceEvents(NodeStatus.Device was, NodeStatus.Device d, List<StatusEvent> events) {
        boolean wasConnected = was != null && was.connected();
        // Lost and back between two looks: the connection start tells.
        boolean newConnection = d.connected()
                && (!wasConnected || !Objects.equals(was.connectedSince(), d.connectedSince()));
        if (d.connected() && !wasConnected) {
            events.add(new StatusEvent("device-connected",
                    new DeviceConnected(d.id(), d.name(), d.path(), d.address())));
        } else if (!d.connected() && wasConnected) {
            events.add(new StatusEvent("device-disconnected", new DeviceDisconnected(d.id(), d.name())));
        }
        if (newConnection && d.downtimeMillis() != null) {
            events.add(new StatusEvent("device-reconnected", new DeviceReconnected(d.id(), d.name(), d.downtimeMillis(),
                    d.path(), d.address())));
        }
        if (d.connected() && wasConnected && !Objects.equals(path(was), path(d))) {
            events.add(new StatusEvent("device-path-changed",
                    new DevicePathChanged(d.id(), d.name(), path(was), path(d))));
        }
        if (!d.connected() && d.reconnectAttempts() != null
                && !d.reconnectAttempts().equals(was == null ? null : was.reconnectAttempts())) {
            events.add(new StatusEvent("device-reconnecting", new DeviceReconnecting(d.id(), d.name(),
                    d.reconnectAttempts(), d.nextAttempt())));
        }
        if (was != null && was.quality() != null && d.quality() != null && !was.quality().equals(d.quality())) {
            events.add(new StatusEvent("device-quality-changed", new DeviceQualityChanged(d.id(), d.name(),
                    was.quality(), d.quality())));
        }
    }

    /** The device's path as one string: its known parts of path type, transport and address. */
    private static String path(NodeStatus.Device d) {
        return Stream.of(d.path(), d.transport(), d.address()).filter(Objects::nonNull)
                .collect(Collectors.joining(" "));
    }

    private static <T> Map<String, T> byId(List<T> items, Function<T, String> id) {
        return items.stream().collect(Collectors.toMap(id, Function.identity(), (a, b) -> a));
    }

    /** The event in the text/event-stream format: {@code event: TYPE}, {@code data: JSON}, a blank line. */
    String toWire() {
        return "event: " + type + "\ndata: " + Json.write(data) + "\n\n";
    }
}
