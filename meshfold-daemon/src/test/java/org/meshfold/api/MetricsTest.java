package org.meshfold.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshfold.daemon.NodeStatus;

class MetricsTest {

    @Test
    void render_connectedDevice_reportsRoundTripAndByteCounters() {
        NodeStatus.Device up = new NodeStatus.Device("D1", "desk", true, "lan", "10.0.0.2:22000", "t", "t",
                List.of(), List.of(), 1.5, 2000L, 100L, 123_456L, 7_890L, "tcp");
        NodeStatus.Device down = new NodeStatus.Device("D2", "phone", false, null, null, null, null, List.of(),
                List.of());
        NodeStatus status = new NodeStatus("SELF", "me", true, "0.0.0.0:22000", null, "t", 5L, List.of(),
                List.of(up, down));

        String text = Metrics.render(status);

        assertThat(text).contains("# TYPE meshfold_device_rtt_seconds gauge\n")
                .contains("meshfold_device_rtt_seconds{device=\"D1\",name=\"desk\"} 0.0015\n")
                .contains("# TYPE meshfold_device_bytes_received_total counter\n")
                .contains("meshfold_device_bytes_received_total{device=\"D1\",name=\"desk\"} 123456\n")
                .contains("meshfold_device_bytes_sent_total{device=\"D1\",name=\"desk\"} 7890\n")
                .doesNotContain("meshfold_device_rtt_seconds{device=\"D2\"")
                .doesNotContain("meshfold_device_bytes_sent_total{device=\"D2\"");
    }

    @Test
    void render_qualityAndReconnection_oneQualitySetPerDeviceAndFiguresWhereKnown() {
        NodeStatus.Device up = new NodeStatus.Device("D1", "desk", true, "lan", "10.0.0.2:22000", "t", "t",
                List.of(), List.of(), 1.5, 2000L, 100L, 123_456L, 7_890L, "tcp", "good", "2030-01-01T00:00:01.500Z",
                null, null, 4_250L);
        NodeStatus.Device down = new NodeStatus.Device("D2", "phone", false, null, null, null, null, List.of(),
                List.of(), null, null, null, null, null, null, "disconnected", null, 7, "2030-01-01T00:01:00Z", null);
        NodeStatus status = new NodeStatus("SELF", "me", true, "0.0.0.0:22000", null, "t", 5L, List.of(),
                List.of(up, down));

        String text = Metrics.render(status);

        assertThat(text).contains("meshfold_device_quality{device=\"D1\",name=\"desk\",quality=\"excellent\"} 0\n"
                        + "meshfold_device_quality{device=\"D1\",name=\"desk\",quality=\"good\"} 1\n"
                        + "meshfold_device_quality{device=\"D1\",name=\"desk\",quality=\"poor\"} 0\n"
                        + "meshfold_device_quality{device=\"D1\",name=\"desk\",quality=\"disconnected\"} 0\n")
                .contains("meshfold_device_quality{device=\"D2\",name=\"phone\",quality=\"disconnected\"} 1\n")
                .contains("meshfold_device_receive_bytes_per_second{device=\"D1\",name=\"desk\"} 2000\n")
                .contains("meshfold_device_send_bytes_per_second{device=\"D1\",name=\"desk\"} 100\n")
                .contains("meshfold_device_last_activity_timestamp_seconds{device=\"D1\",name=\"desk\"} 1893456001.500\n")
                .contains("meshfold_device_downtime_seconds{device=\"D1\",name=\"desk\"} 4.250\n")
                .contains("meshfold_device_reconnect_attempts{device=\"D2\",name=\"phone\"} 7\n")
                .doesNotContain("meshfold_device_reconnect_attempts{device=\"D1\"");
    }
}
