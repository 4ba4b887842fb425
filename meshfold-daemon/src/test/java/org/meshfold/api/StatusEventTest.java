package org.meshfold.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshfold.daemon.NodeStatus;

class StatusEventTest {

    private static NodeStatus status(boolean connected, String state, boolean inSync) {
        var folder = new NodeStatus.Folder("f", "F", "/f", state, inSync, 1L, 1L, 0, 100.0, 0, 0L, 0L, 0L, 0L, null);
        var device = new NodeStatus.Device("D", "desk", connected, connected ? "lan" : null,
                connected ? "10.0.0.2:22000" : null, null, null, List.of(), List.of("f"));
        return new NodeStatus("me", "laptop", true, "0.0.0.0:22000", null, null, 0L, List.of(folder), List.of(device));
    }

    private static NodeStatus resumed(long files, long bytes) {
        var folder = new NodeStatus.Folder("f", "F", "/f", "syncing", false, 1L, 1L, 1, 50.0, 1, 0L, 0L, 0L, 0L, null,
                0, false, 10L, files, bytes);
        return new NodeStatus("me", "laptop", true, "0.0.0.0:22000", null, null, 0L, List.of(folder), List.of());
    }

    @Test
    void between_pullsContinueInterruptedTransfers_reportsTransferResumedWithTheIncrease() {
        assertThat(StatusEvent.between(resumed(2, 1000), resumed(5, 71_000))).extracting(StatusEvent::data)
                .containsExactly(new StatusEvent.TransferResumed("f", 3, 70_000));
        assertThat(StatusEvent.between(resumed(5, 71_000), resumed(5, 71_000))).isEmpty();
    }

    @Test
    void between_sameStatus_hasNoEvents() {
        assertThat(StatusEvent.between(status(true, "idle", true), status(true, "idle", true))).isEmpty();
    }

    @Test
    void between_deviceConnectsAndFolderStartsSyncing_reportsBoth() {
        List<StatusEvent> events = StatusEvent.between(status(false, "idle", true), status(true, "syncing", false));

        assertThat(events).extracting(StatusEvent::type)
                .containsExactly("device-connected", "folder-state-changed", "folder-out-of-sync");
        assertThat(events.get(0).toWire())
                .isEqualTo("event: device-connected\ndata: {\"device\":\"D\",\"name\":\"desk\",\"path\":\"lan\","
                        + "\"address\":\"10.0.0.2:22000\"}\n\n");
        assertThat(events.get(1).data()).isEqualTo(new StatusEvent.FolderStateChanged("f", "idle", "syncing"));
    }

    @Test
    void between_deviceDisconnectsAndFolderCatchesUp_reportsBoth() {
        assertThat(StatusEvent.between(status(true, "syncing", false), status(false, "idle", true)))
                .extracting(StatusEvent::type)
                .containsExactly("device-disconnected", "folder-state-changed", "folder-in-sync");
    }

    @Test
    void between_deviceLostThenRedialed_disconnectedReconnectingAndQualityChanged() {
        NodeStatus up = devices(connected("lan", "10.0.0.2:22000", "t1", "excellent", null));
        NodeStatus lost = devices(disconnected(1, "2030-01-01T00:00:01Z"));
        NodeStatus secondTry = devices(disconnected(2, "2030-01-01T00:00:03Z"));

        List<StatusEvent> events = StatusEvent.between(up, lost);

        assertThat(events).extracting(StatusEvent::type)
                .containsExactly("device-disconnected", "device-reconnecting", "device-quality-changed");
        assertThat(events.get(1).data()).isEqualTo(new StatusEvent.DeviceReconnecting("D", "desk", 1,
                "2030-01-01T00:00:01Z"));
        assertThat(events.get(2).data()).isEqualTo(new StatusEvent.DeviceQualityChanged("D", "desk", "excellent",
                "disconnected"));
        assertThat(StatusEvent.between(lost, secondTry)).extracting(StatusEvent::data)
                .containsExactly(new StatusEvent.DeviceReconnecting("D", "desk", 2, "2030-01-01T00:00:03Z"));
        assertThat(StatusEvent.between(secondTry, secondTry)).isEmpty();
    }

    @Test
    void between_deviceBackAfterALoss_connectedAndReconnectedWithTheDowntime() {
        NodeStatus back = devices(connected("lan", "10.0.0.2:22000", "t2", "good", 12_345L));

        List<StatusEvent> events = StatusEvent.between(devices(disconnected(3, null)), back);

        assertThat(events).extracting(StatusEvent::type)
                .containsExactly("device-connected", "device-reconnected", "device-quality-changed");
        assertThat(events.get(1).toWire()).isEqualTo("event: device-reconnected\ndata: {\"device\":\"D\",\"name\":"
                + "\"desk\",\"downtimeMillis\":12345,\"path\":\"lan\",\"address\":\"10.0.0.2:22000\"}\n\n");
    }

    @Test
    void between_lostAndBackBetweenTwoLooks_reconnectedFromTheNewConnectionStart() {
        NodeStatus before = devices(connected("lan", "10.0.0.2:22000", "t1", "excellent", null));
        NodeStatus after = devices(connected("lan", "10.0.0.2:22000", "t2", "excellent", 800L));

        assertThat(StatusEvent.between(before, after)).extracting(StatusEvent::data)
                .containsExactly(new StatusEvent.DeviceReconnected("D", "desk", 800, "lan", "10.0.0.2:22000"));
    }

    @Test
    void between_connectedDeviceOnAnotherPath_pathChanged() {
        NodeStatus before = devices(connected("relayed", "203.0.113.5:3478", "t1", "good", null));
        NodeStatus after = devices(connected("direct", "198.51.100.7:22000", "t1", "good", null));

        assertThat(StatusEvent.between(before, after)).extracting(StatusEvent::data)
                .containsExactly(new StatusEvent.DevicePathChanged("D", "desk", "relayed quic 203.0.113.5:3478",
                        "direct quic 198.51.100.7:22000"));
    }

    private static NodeStatus devices(NodeStatus.Device device) {
        return new NodeStatus("me", "laptop", true, "0.0.0.0:22000", null, null, 0L, List.of(), List.of(device));
    }

    private static NodeStatus.Device connected(String pathType, String address, String since, String quality,
                                               Long downtimeMillis) {
        return new NodeStatus.Device("D", "desk", true, pathType, address, since, "now", List.of(), List.of(), 1.0,
                0L, 0L, 10L, 10L, "quic", quality, "now", null, null, downtimeMillis);
    }

    private static NodeStatus.Device disconnected(int attempts, String nextAttempt) {
        return new NodeStatus.Device("D", "desk", false, null, null, null, "then", List.of(), List.of(), null, null,
                null, null, null, null, "disconnected", null, attempts, nextAttempt, null);
    }

    @Test
    void escape_labelValues_followsExpositionFormat() {
        assertThat(Metrics.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
    }
}
