package org.meshfold.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.meshfold.bench.CompareOptions.Scenario;
import org.meshfold.bench.CompareOptions.Tool;

/** What {@link CompareBench} ran and how it measured, printed above its table. */
final class CompareHeader {
    private CompareHeader() {
    }

    static void print(PrintStream out, CompareOptions o, Map<Tool, String> columns, Duration took)
            throws IOException, InterruptedException {
        out.println();
        out.printf(Locale.ROOT, "meshfold compared with Syncthing and rsync, %s; %d run(s), took %d min %d s%n",
                Instant.now(), o.runs(), took.toMinutes(), took.toSecondsPart());
        out.printf(Locale.ROOT, "machine: %d CPU(s), %s %s; data under %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.version"), o.workDir().toAbsolutePath());
        for (var e : columns.entrySet()) {
            out.println(e.getValue() + ": " + switch (e.getKey()) {
                case MESHFOLD -> "two `meshfold run` daemons, default settings; " + System.getProperty("java.vm.name")
                        + " " + System.getProperty("java.version") + ", flags "
                        + String.join(" ", DaemonProcess.jvmOptions());
                case SYNCTHING -> "two instances (Debian package), defaults except: global/local discovery, relays,"
                        + " NAT off, setLowPriority off; listen tcp on loopback, GUI/REST on loopback; file watcher on"
                        + " (default delay 10 s), fsync on (default)";
                case RSYNC -> "rsync " + RsyncPeer.version() + " `rsync -a SRC/ rsync://127.0.0.1:PORT/bench/` to"
                        + " `rsync --daemon` on loopback; no watcher: started right after each change";
                case RSYNC_FSYNC -> "the same with --fsync (the daemon fsyncs every file it writes)";
            });
        }
        for (Scenario s : o.scenarios()) {
            out.println("data " + s.id + ": " + CompareBench.describe(s, o));
        }
        out.println("initial sync of the daemons: from starting the sender (the receiver is started once the sender"
                + " accepts connections) until the receiver holds every file; both start-ups, the sender's scan and"
                + " hashing are included; insert: from the rename of the edited copy over the sender's file");
        out.println("new-file latency: one file at a time once the devices are idle, until it is on the peer with its"
                + " full size (5 ms polls); p50/p95 over the files of run 1");
        out.println("wire: bytes through a counting TCP relay between the sides (TLS ciphertext for meshfold and"
                + " Syncthing, the rsync protocol for rsync), without TCP/IP headers");
        out.println("peak RSS: VmHWM of each daemon before it is stopped; rsync: GNU time's maximum RSS of the client"
                + " (sender) and of the daemon's largest process (receiver)");
        out.println("every run verified: the receiver's tree hash (relative paths, sizes, SHA-256 of contents) equals"
                + " the data's; ratios are meshfold's median over the other tool's (below 1: meshfold is lower)");
        out.println();
    }
}
