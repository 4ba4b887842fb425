package org.meshfold.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.meshfold.daemon.NodeStatus;

/** The human-readable forms of {@link NodeStatus}: a summary line and aligned tables. */
final class StatusText {
    private StatusText() {
    }

    static void summary(NodeStatus s, PrintWriter out) {
        out.println("device:  " + s.deviceId() + " (" + s.deviceName() + ")");
        if (s.daemonRunning()) {
            out.println("daemon:  running, up " + duration(s.uptimeSeconds()) + ", listening on " + s.listenAddress()
                    + (s.apiAddress() != null ? ", api on http://" + s.apiAddress() : ""));
        } else {
            out.println("daemon:  not running (listens on " + s.listenAddress() + " when started)");
        }
    }

    static void folders(NodeStatus s, PrintWriter out) {
        Table t = new Table("FOLDER", "LABEL", "STATE", "DONE", "NEED", "NEED SIZE", "FILES", "SIZE", "PATH");
        for (NodeStatus.Folder f : s.folders()) {
            t.row(f.id(), f.label(), f.state(),
                    f.percentComplete() == null ? null : String.format(Locale.ROOT, "%.1f%%", f.percentComplete()),
                    f.needFiles(), f.needBytes() == null ? null : bytes(f.needBytes()), f.localFiles(),
                    f.localBytes() == null ? null : bytes(f.localBytes()), f.path());
        }
        print(t, "no folders: add one with 'meshfold init FOLDER'", out);
    }

    static void devices(NodeStatus s, PrintWriter out) {
        Table t = new Table("DEVICE", "NAME", "CONNECTED", "QUALITY", "PATH", "ADDRESS", "RTT", "IN", "OUT",
                "LAST SEEN", "FOLDERS");
        for (NodeStatus.Device d : s.devices()) {
            t.row(d.id(), d.name(), connected(d), d.quality(), d.path(),
                    d.address() != null ? d.address() : d.configuredAddresses().isEmpty() ? null
                            : String.join(",", d.configuredAddresses()),
                    rtt(d.rttMillis()), rate(d.inBytesPerSecond()), rate(d.outBytesPerSecond()),
                    d.connected() ? "now" : d.lastSeen(), d.folders().isEmpty() ? null : String.join(",", d.folders()));
        }
        print(t, "no paired devices: add one with 'meshfold devices add DEVICE_ID'", out);
    }

    /** "yes"; or "no", with the dial attempts made since it was lost while it is being redialed. */
    private static String connected(NodeStatus.Device d) {
        if (d.connected()) {
            return "yes";
        }
        Integer n = d.reconnectAttempts();
        return n == null ? "no" : "no (" + n + (n == 1 ? " attempt)" : " attempts)");
    }

    private static void print(Table t, String empty, PrintWriter out) {
        if (t.isEmpty()) {
            out.println(empty);
        } else {
            t.print(out);
        }
    }

    /** Two decimals below 10 ms (LAN round trips), whole milliseconds above. */
    static String rtt(Double millis) {
        if (millis == null) {
            return null;
        }
        return millis < 10 ? String.format(Locale.ROOT, "%.2f ms", millis) : String.format(Locale.ROOT, "%.0f ms", millis);
    }

    static String rate(Long bytesPerSecond) {
        return bytesPerSecond == null ? null : bytes(bytesPerSecond) + "/s";
    }

    static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String duration(Long seconds) {
        if (seconds == null) {
            return "-";
        }
        long s = seconds;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m " + s % 60 + "s";
        }
        if (s < 86400) {
            return s / 3600 + "h " + s % 3600 / 60 + "m";
        }
        return s / 86400 + "d " + s % 86400 / 3600 + "h";
    }
}
