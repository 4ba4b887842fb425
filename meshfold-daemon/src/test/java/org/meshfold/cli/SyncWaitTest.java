package org.meshfold.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshfold.daemon.NodeStatus;

class SyncWaitTest {
    private static final Duration POLL = Duration.ofMillis(1);

    private static NodeStatus.Folder folder(String state, int connected, int need, int peersInSync, boolean withPeers) {
        return new NodeStatus.Folder("f", "F", "/f", state, need == 0, 10L, 100L, need, 50.0, connected, 5L, 0L, 2L, 0L,
                null, peersInSync, withPeers);
    }

    private static NodeStatus status(NodeStatus.Folder f) {
        NodeStatus.Device peer = new NodeStatus.Device("ID", "laptop", f.connectedDevices() > 0, null, null, null, null,
                List.of("10.0.0.2:22000"), List.of("f"));
        return new NodeStatus("me", "me", true, "0.0.0.0:22000", null, null, null, List.of(f), List.of(peer));
    }

    @Test
    void await_becomesInSync_returnsAtOnceWithFirstAndLastSeen() throws Exception {
        Deque<NodeStatus> reads = new ArrayDeque<>(List.of(status(folder("syncing", 1, 3, 0, false)),
                status(folder("idle", 1, 0, 1, true))));
        List<NodeStatus.Folder> seen = new ArrayList<>();

        SyncWait.Outcome o = new SyncWait(reads::pop, "f", Clock.systemUTC(), POLL)
                .await(Duration.ofSeconds(30), () -> true, seen::add);

        assertThat(o.inSync()).isTrue();
        assertThat(o.reason()).isNull();
        assertThat(o.first().needFiles()).isEqualTo(3);
        assertThat(o.last().needFiles()).isZero();
        assertThat(seen).hasSize(2);
        assertThat(o.devices()).extracting(NodeStatus.Device::name).containsExactly("laptop");
    }

    @Test
    void await_notSettled_isNotInSyncAndSaysItIsScanning() throws Exception {
        NodeStatus inSync = status(folder("idle", 1, 0, 1, true));

        SyncWait.Outcome o = new SyncWait(() -> inSync, "f", Clock.systemUTC(), POLL)
                .await(Duration.ofMillis(30), () -> false, f -> { });

        assertThat(o.inSync()).isFalse();
        assertThat(o.reason()).isEqualTo("still scanning the folder");
    }

    @Test
    void reason_namesWhatIsMissing() {
        List<NodeStatus.Device> devices = status(folder("idle", 0, 0, 0, false)).devices();

        assertThat(SyncWait.reason(true, folder("waiting", 0, 2, 0, false), devices))
                .isEqualTo("no paired device reachable (tried laptop at 10.0.0.2:22000)");
        assertThat(SyncWait.reason(true, folder("syncing", 2, 7, 0, false), devices))
                .isEqualTo("still transferring: 7 name(s) to pull from 2 connected device(s)");
        assertThat(SyncWait.reason(true, folder("idle", 2, 0, 1, false), devices))
                .isEqualTo("still transferring: 1 connected device(s) have not taken all of this device's changes yet");
    }

    @Test
    void progress_notATerminal_printsChangedFiguresAsLines() {
        StringWriter text = new StringWriter();
        SyncProgress progress = new SyncProgress(new PrintWriter(text), false, Clock.systemUTC());

        progress.update(folder("syncing", 1, 3, 0, false));
        progress.update(folder("syncing", 1, 3, 0, false));
        progress.finish();

        assertThat(text.toString().lines().toList())
                .containsExactly("sync: f: 0 file(s) pulled, 0 B; 3 to pull; 0/1 device(s) in sync");
    }

    @Test
    void progress_terminal_redrawsOneBar() {
        StringWriter text = new StringWriter();
        SyncProgress progress = new SyncProgress(new PrintWriter(text), true, Clock.systemUTC());

        progress.update(folder("syncing", 1, 3, 0, false));
        progress.finish();

        assertThat(text.toString()).startsWith("\r[############------------]  50.0% f: 0 file(s) pulled").endsWith("\n");
    }
}
