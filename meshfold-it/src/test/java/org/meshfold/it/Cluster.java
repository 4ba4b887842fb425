package org.meshfold.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Several test devices that all share one folder, fully paired, and ways to await agreement. */
final class Cluster implements AutoCloseable {
    final List<TestDevice> devices;

    private Cluster(List<TestDevice> devices) {
        this.devices = devices;
    }

    static Cluster of(Path base, String... names) {
        List<TestDevice> list = Stream.of(names).map(n -> new TestDevice(n, base)).toList();
        for (TestDevice d : list) {
            d.pairWith(list.stream().filter(o -> o != d).toArray(TestDevice[]::new));
        }
        return new Cluster(list);
    }

    TestDevice get(int i) {
        return devices.get(i);
    }

    void startAll() {
        devices.forEach(TestDevice::start);
    }

    void awaitConnected(Duration timeout) {
        Await.until("all devices connected", timeout, () -> devices.stream().allMatch(
                d -> devices.stream().allMatch(o -> o == d || d.connectedTo(o))));
    }

    /**
     * Waits until every running device is in sync and all folders look alike (names, sizes,
     * mtimes), then asserts that they are identical byte for byte.
     */
    void awaitIdentical(Duration timeout) {
        awaitIdentical(timeout, devices.stream().filter(TestDevice::running).toList());
    }

    /**
     * Like {@link #awaitIdentical(Duration)} for {@code subset} only (for example the devices on
     * one side of a partition); the other devices are not looked at.
     */
    void awaitIdentical(Duration timeout, List<TestDevice> subset) {
        Await.until("identical folders on " + subset, timeout, () -> {
            if (!subset.stream().allMatch(d -> d.status().inSync())) {
                return false;
            }
            Map<String, String> first = quick(subset.get(0).folder);
            return subset.stream().allMatch(d -> quick(d.folder).equals(first));
        }, () -> describe(subset));
        TreeSnapshot reference = TreeSnapshot.of(subset.get(0).folder);
        for (TestDevice d : subset.subList(1, subset.size())) {
            TreeSnapshot s = TreeSnapshot.of(d.folder);
            if (!s.equals(reference)) {
                throw new AssertionError(d + " differs from " + subset.get(0) + ": " + reference.diff(s));
            }
        }
    }

    private String describe(List<TestDevice> running) {
        StringBuilder sb = new StringBuilder();
        for (TestDevice d : running) {
            Map<String, String> q = quick(d.folder);
            sb.append("\n  ").append(d).append(": ").append(q.size()).append(" entries, ").append(d.status());
        }
        Map<String, String> a = quick(running.get(0).folder);
        for (TestDevice d : running.subList(1, running.size())) {
            Map<String, String> b = quick(d.folder);
            a.forEach((k, v) -> {
                if (!v.equals(b.get(k)) && sb.length() < 4000) {
                    sb.append("\n  ").append(k).append(": ").append(v).append(" vs ").append(d).append(' ').append(b.get(k));
                }
            });
            b.keySet().stream().filter(k -> !a.containsKey(k)).limit(10)
                    .forEach(k -> sb.append("\n  extra on ").append(d).append(": ").append(k));
        }
        return sb.toString();
    }

    /** Names with type, size and mtime, without reading content. */
    static Map<String, String> quick(Path root) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> !p.equals(root)).forEach(p -> {
                String name = p.getFileName().toString();
                if (name.startsWith(".meshfold-tmp-")) {
                    return;
                }
                try {
                    if (Files.isSymbolicLink(p)) {
                        out.put(root.relativize(p).toString(), "link");
                    } else if (Files.isDirectory(p)) {
                        out.put(root.relativize(p).toString(), "dir");
                    } else {
                        out.put(root.relativize(p).toString(), Files.size(p) + " "
                                + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant());
                    }
                } catch (IOException e) {
                    out.put(root.relativize(p).toString(), "gone");
                }
            });
        } catch (IOException | UncheckedIOException e) {
            return Map.of("unreadable", e.toString());
        }
        return out;
    }

    long downloaded(TestDevice d) {
        return d.status().bytesDownloaded();
    }

    @Override
    public void close() {
        devices.forEach(TestDevice::close);
    }
}
