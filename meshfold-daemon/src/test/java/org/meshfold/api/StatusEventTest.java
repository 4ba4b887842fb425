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
                .isEqualTo("event: device-connected\ndata: {\"device\":\"D\",\"name\":\"desk\",\"pathType\":\"lan\","
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
    void escape_labelValues_followsExpositionFormat() {
        assertThat(Metrics.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
    }
}
