package org.meshfold.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.function.Function;
import org.meshfold.daemon.NodeStatus;

/**
 * The status in the Prometheus text exposition format (version 0.0.4): counters since the
 * daemon started and gauges of the current state, one sample per folder or device.
 */
final class Metrics {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private Metrics() {
    }

    static String render(NodeStatus status) {
        StringBuilder out = new StringBuilder();
        header(out, "meshfold_up", "gauge", "1 while the daemon runs");
        out.append("meshfold_up 1\n");
        header(out, "meshfold_uptime_seconds", "gauge", "seconds since the daemon started");
        out.append("meshfold_uptime_seconds ").append(status.uptimeSeconds() == null ? 0 : status.uptimeSeconds()).append('\n');
        folderMetric(out, status, "meshfold_folder_bytes_downloaded_total", "counter",
                "verified block bytes received from other devices", NodeStatus.Folder::bytesDownloaded);
        folderMetric(out, status, "meshfold_folder_bytes_served_total", "counter",
                "block bytes sent to other devices", NodeStatus.Folder::bytesServed);
        folderMetric(out, status, "meshfold_folder_files_pulled_total", "counter",
                "files put in place from other devices", NodeStatus.Folder::filesPulled);
        folderMetric(out, status, "meshfold_folder_conflicts_total", "counter",
                "conflict copies made on this device", NodeStatus.Folder::conflicts);
        folderMetric(out, status, "meshfold_folder_in_sync", "gauge",
                "1 if nothing is needed from connected devices", f -> Boolean.TRUE.equals(f.inSync()) ? 1 : 0);
        folderMetric(out, status, "meshfold_folder_need_files", "gauge",
                "names still to pull or waiting for a device", NodeStatus.Folder::needFiles);
        folderMetric(out, status, "meshfold_folder_local_files", "gauge",
                "regular files this device has in the folder", NodeStatus.Folder::localFiles);
        folderMetric(out, status, "meshfold_folder_local_bytes", "gauge",
                "total size of those files", NodeStatus.Folder::localBytes);
        header(out, "meshfold_device_connected", "gauge", "1 if the paired device is connected");
        for (NodeStatus.Device d : status.devices()) {
            out.append("meshfold_device_connected{device=\"").append(escape(d.id())).append("\",name=\"")
                    .append(escape(d.name())).append("\"} ").append(d.connected() ? 1 : 0).append('\n');
        }
        header(out, "meshfold_device_quality", "gauge",
                "1 for the current quality of the connection with the device, 0 for the other qualities");
        for (NodeStatus.Device d : status.devices()) {
            for (String q : NodeStatus.QUALITIES) {
                out.append("meshfold_device_quality{device=\"").append(escape(d.id())).append("\",name=\"")
                        .append(escape(d.name())).append("\",quality=\"").append(q).append("\"} ")
                        .append(q.equals(d.quality()) ? 1 : 0).append('\n');
            }
        }
        deviceMetric(out, status, "meshfold_device_rtt_seconds", "gauge",
                "smoothed round-trip time of the connection with the device",
                d -> d.rttMillis() == null ? null : d.rttMillis() / 1000);
        deviceMetric(out, status, "meshfold_device_bytes_received_total", "counter",
                "bytes received on the current connection with the device (restarts with each connection)",
                NodeStatus.Device::bytesIn);
        deviceMetric(out, status, "meshfold_device_bytes_sent_total", "counter",
                "bytes sent on the current connection with the device (restarts with each connection)",
                NodeStatus.Device::bytesOut);
        deviceMetric(out, status, "meshfold_device_receive_bytes_per_second", "gauge",
                "bytes received per second from the device over the last few seconds",
                NodeStatus.Device::inBytesPerSecond);
        deviceMetric(out, status, "meshfold_device_send_bytes_per_second", "gauge",
                "bytes sent per second to the device over the last few seconds", NodeStatus.Device::outBytesPerSecond);
        deviceMetric(out, status, "meshfold_device_last_activity_timestamp_seconds", "gauge",
                "when bytes last arrived from the device (Unix time), while connected",
                d -> d.lastActivity() == null ? null : seconds(Instant.parse(d.lastActivity()).toEpochMilli()));
        deviceMetric(out, status, "meshfold_device_downtime_seconds", "gauge",
                "how long the device was unreachable before its current connection",
                d -> d.downtimeMillis() == null ? null : seconds(d.downtimeMillis()));
        deviceMetric(out, status, "meshfold_device_reconnect_attempts", "gauge",
                "dial attempts since the device was last connected, while it is not",
                NodeStatus.Device::reconnectAttempts);
        return out.toString();
    }

    /** Milliseconds as seconds with three decimals, written out in full (no exponent). */
    private static BigDecimal seconds(long millis) {
        return BigDecimal.valueOf(millis, 3);
    }

    /** One sample per device whose value is known (connected devices, for traffic figures). */
    private static void deviceMetric(StringBuilder out, NodeStatus status, String name, String type, String help,
                                     Function<NodeStatus.Device, Number> value) {
        header(out, name, type, help);
        for (NodeStatus.Device d : status.devices()) {
            Number v = value.apply(d);
            if (v != null) {
                out.append(name).append("{device=\"").append(escape(d.id())).append("\",name=\"")
                        .append(escape(d.name())).append("\"} ").append(v).append('\n');
            }
        }
    }

    private static void folderMetric(StringBuilder out, NodeStatus status, String name, String type, String help,
                                     Function<NodeStatus.Folder, Number> value) {
        header(out, name, type, help);
        for (NodeStatus.Folder f : status.folders()) {
            Number v = value.apply(f);
            if (v != null) {
                out.append(name).append("{folder=\"").append(escape(f.id())).append("\"} ").append(v).append('\n');
            }
        }
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** Label values escape backslash, double quote and line feed (the exposition format's rule). */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
