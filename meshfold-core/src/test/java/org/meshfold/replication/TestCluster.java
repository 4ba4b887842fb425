package org.meshfold.replication;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.meshfold.clock.ManualClock;
import org.meshfold.fs.PathNames;
import org.meshfold.identity.DeviceId;
import org.meshfold.index.BlockHash;
import org.meshfold.index.FileRecord;

/** Several {@link TestDevice}s sharing one folder over an {@link InProcessNetwork}. */
final class TestCluster implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    final List<TestDevice> devices = new ArrayList<>();
    final InProcessNetwork net = new InProcessNetwork();
    final ExecutorService io = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "test-io");
        t.setDaemon(true);
        return t;
    });
    /** Wall clock shared by the devices; tests move it forward explicitly. */
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-21T10:15:00Z").toEpochMilli());
    final AtomicLong millis = clock.counter();
    private final Map<Set<Integer>, PeerLink> links = new HashMap<>();

    TestCluster(Path base, int count) {
        this(base, count, FolderSyncOptions.Tuning.DEFAULT.withRetryDelay(Duration.ofMillis(50)), TestScanner.BLOCK);
    }

    TestCluster(Path base, int count, FolderSyncOptions.Tuning tuning, int blockSize) {
        try {
            for (int i = 0; i < count; i++) {
                devices.add(new TestDevice(i + 1, Files.createDirectories(base.resolve("d" + (i + 1))), clock, io,
                        tuning, blockSize));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (TestDevice d : devices) {
            Set<DeviceId> others = new HashSet<>();
            devices.stream().filter(o -> o != d).forEach(o -> others.add(o.id));
            d.share(others);
        }
    }

    TestDevice get(int i) {
        return devices.get(i);
    }

    PeerLink connect(int i, int j) {
        return connect(i, j, link -> { });
    }

    /** Connects device i and j after {@code setup} has configured the link (e.g. to corrupt blocks). */
    PeerLink connect(int i, int j, Consumer<PeerLink> setup) {
        PeerLink link = PeerLink.create(net, get(i).id, get(i).service, get(j).id, get(j).service);
        setup.accept(link);
        link.start();
        PeerLink old = links.put(Set.of(i, j), link);
        if (old != null) {
            old.disconnect("replaced");
        }
        return link;
    }

    void connectAll() {
        for (int i = 0; i < devices.size(); i++) {
            for (int j = i + 1; j < devices.size(); j++) {
                if (!isConnected(i, j)) {
                    connect(i, j);
                }
            }
        }
    }

    boolean isConnected(int i, int j) {
        PeerLink l = links.get(Set.of(i, j));
        return l != null && l.isOpen();
    }

    void disconnect(int i, int j) {
        PeerLink l = links.remove(Set.of(i, j));
        if (l != null) {
            l.disconnect("partition");
        }
    }

    void advanceClock(Duration d) {
        millis.addAndGet(d.toMillis());
    }

    /** Waits until no device has work running and the network has delivered everything (twice in a row). */
    void awaitIdle() {
        int[] quiet = {0};
        Await.until(TIMEOUT, () -> {
            boolean idle = net.pending() == 0 && devices.stream().allMatch(d -> d.status().idle());
            quiet[0] = idle ? quiet[0] + 1 : 0;
            return quiet[0] >= 3;
        }, this::describe);
    }

    /** Waits until every device has the same local records and the same files. */
    void awaitConverged() {
        awaitConverged(devices);
    }

    /** Waits until the devices with these indexes have the same local records and the same files. */
    void awaitConverged(int... indexes) {
        awaitConverged(Arrays.stream(indexes).mapToObj(this::get).toList());
    }

    private void awaitConverged(List<TestDevice> group) {
        Await.until(TIMEOUT, () -> net.pending() == 0 && group.stream().allMatch(d -> d.status().inSync())
                && converged(group), this::describe);
    }

    boolean converged() {
        return converged(devices);
    }

    private static boolean converged(List<TestDevice> group) {
        try {
            Map<String, String> first = records(group.get(0));
            Map<String, String> tree = tree(group.get(0));
            return group.stream().allMatch(d -> records(d).equals(first) && tree(d).equals(tree));
        } catch (UncheckedIOException e) {
            return false; // a file changed while we looked
        }
    }

    /** Local records as comparable text: name → type, content, version, deletion. */
    static Map<String, String> records(TestDevice d) {
        Map<String, String> out = new TreeMap<>();
        d.index.forEachLocal(r -> out.put(r.name(), describe(r)));
        return out;
    }

    static String describe(FileRecord r) {
        return r.type() + (r.deleted() ? " deleted" : " " + r.blocksHash() + " " + r.symlinkTarget() + " p"
                + Integer.toOctalString(r.permissions()) + " m" + r.mtimeNanos()) + " " + r.version();
    }

    /** The folder's files (temp files excluded): name → content hash or "dir" or link target. */
    static Map<String, String> tree(TestDevice d) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(d.root)) {
            for (Path p : walk.toList()) {
                String name = d.root.relativize(p).toString();
                if (name.isEmpty() || PathNames.isTemp(p.getFileName().toString())) {
                    continue;
                }
                if (Files.isSymbolicLink(p)) {
                    out.put(name, "-> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(name, "dir");
                } else {
                    byte[] data = Files.readAllBytes(p);
                    out.put(name, BlockHash.sha256(data, 0, data.length).toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    String describe() {
        StringBuilder sb = new StringBuilder("network pending=" + net.pending());
        for (TestDevice d : devices) {
            sb.append("\n").append(d.id.shortText()).append(' ').append(d.status())
                    .append("\n  records ").append(records(d)).append("\n  tree ").append(tree(d));
        }
        return sb.toString();
    }

    @Override
    public void close() {
        links.values().forEach(l -> l.disconnect("shutdown"));
        devices.forEach(TestDevice::close);
        net.close();
        io.shutdownNow();
    }
}
