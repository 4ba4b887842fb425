package org.meshfold.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random operation sequences on three real devices with partitions and reconnects: after every
 * reconnect all devices hold identical folders, and no content is lost.
 *
 * <p>One cluster (a, b, c) runs for the whole test. Sequences are grouped in batches that share
 * a partition schedule; each sequence works only in its own directory ({@code b07s3}), so
 * sequences are independent while their partitions and reconnects are real. Per batch:
 * <ol>
 *   <li>base state: a few files and directories written on random devices while all are
 *       connected, synced to all three;</li>
 *   <li>partition: one random device isolated, or all three, or (sometimes) none, by pausing
 *       both directions of every link between the parts;</li>
 *   <li>one to five random operations per sequence ({@link RandomOperations}), each on a random
 *       device, directly in its folder;</li>
 *   <li>every part settles (scan, then identical within the part) and its final state is
 *       recorded;</li>
 *   <li>heal: all links resumed, all three identical byte for byte;</li>
 *   <li>no content lost: every part's final content is still there, at its name or in a conflict
 *       copy of it (see {@code Batch.check} for why that is what the merge rules promise).</li>
 * </ol>
 * The seed is printed; {@code -Dmeshfold.it.seed=N} repeats a run's operations (timing differs),
 * {@code -Dmeshfold.it.batches=N} changes the number of batches.
 */
class RandomizedConvergenceTest {
    private static final int SEQUENCES_PER_BATCH = 10;
    private static final Duration CONNECT = Duration.ofSeconds(30);
    private static final Duration SETTLE = Duration.ofSeconds(60);

    @TempDir
    Path base;

    @Test
    void randomOperationsWithPartitions_convergeWithoutLosingContent() {
        long seed = Long.getLong("meshfold.it.seed", new SplittableRandom().nextLong());
        int batches = Integer.getInteger("meshfold.it.batches", 20);
        System.out.println("RandomizedConvergenceTest: seed " + seed + ", " + batches + " batches of "
                + SEQUENCES_PER_BATCH + " sequences (repeat with -Dmeshfold.it.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        long start = System.nanoTime();
        try (Cluster cluster = Cluster.of(base, "a", "b", "c")) {
            cluster.startAll();
            cluster.awaitConnected(CONNECT);
            int checked = 0;
            for (int i = 0; i < batches; i++) {
                checked += new Batch(cluster, random, i).run(seed);
            }
            long copies = cluster.devices.stream().mapToLong(d -> d.status().conflictsCreated()).sum();
            System.out.printf("RandomizedConvergenceTest: %d sequences in %d s, %d final contents checked,"
                    + " %d conflict copies made%n", batches * SEQUENCES_PER_BATCH,
                    Duration.ofNanos(System.nanoTime() - start).toSeconds(), checked, copies);
        }
    }

    /** One batch of sequences sharing a partition schedule. */
    private static final class Batch {
        private final Cluster cluster;
        private final SplittableRandom random;
        private final int index;
        private final List<String> log = new ArrayList<>();
        private final RandomOperations ops;
        private final List<String> dirs = new ArrayList<>();
        private final List<List<TestDevice>> parts = new ArrayList<>();
        private final List<Set<String>> touched = new ArrayList<>();
        private final List<Map<String, String>> finals = new ArrayList<>();
        private final List<TestDevice[]> cut = new ArrayList<>();
        private final Map<String, String> written = new TreeMap<>();
        private Map<String, String> baseState = Map.of();
        private int operations;

        Batch(Cluster cluster, SplittableRandom random, int index) {
            this.cluster = cluster;
            this.random = random;
            this.index = index;
            this.ops = new RandomOperations(random, log);
        }

        /** Runs the batch; returns how many final contents were checked. */
        int run(long seed) {
            long start = System.nanoTime();
            try {
                writeBase();
                partition();
                operate();
                settleParts();
                heal();
                int checked = check();
                System.out.printf("batch %02d: parts %s, %d operations, %d contents checked, %d ms%n", index, parts,
                        operations, checked, Duration.ofNanos(System.nanoTime() - start).toMillis());
                return checked;
            } catch (AssertionError | IOException | RuntimeException e) {
                throw new AssertionError(report(seed, e), e);
            }
        }

        private void writeBase() throws IOException {
            for (int s = 0; s < SEQUENCES_PER_BATCH; s++) {
                String dir = String.format("b%02ds%d", index, s);
                dirs.add(dir);
                Files.createDirectories(pick(cluster.devices).file(dir));
                for (String top : RandomOperations.TOP_NAMES) {
                    if (random.nextInt(4) != 0) {
                        continue;
                    }
                    boolean file = top.startsWith("f") && random.nextBoolean();
                    String name = file ? dir + "/" + top : dir + "/" + top + "/" + pick(RandomOperations.FILE_NAMES);
                    written.put(name, ops.writeBase(pick(cluster.devices), name));
                }
            }
            cluster.devices.forEach(TestDevice::scanNow);
            cluster.awaitIdentical(SETTLE);
            baseState = FolderContents.read(cluster.get(0).folder, dirs);
            if (!baseState.equals(written)) {
                throw new AssertionError("base files changed while all devices were connected and nobody touched them");
            }
        }

        private void partition() {
            List<TestDevice> all = cluster.devices;
            int p = random.nextInt(100);
            if (p < 15) {
                parts.add(all);
            } else if (p < 30) {
                all.forEach(d -> parts.add(List.of(d)));
            } else {
                TestDevice alone = pick(all);
                parts.add(List.of(alone));
                parts.add(all.stream().filter(d -> d != alone).toList());
            }
            parts.forEach(part -> touched.add(new HashSet<>()));
            log.add("partition " + parts);
            for (TestDevice x : all) {
                for (TestDevice y : all) {
                    if (x.name.compareTo(y.name) < 0 && part(x) != part(y)) {
                        cut.add(new TestDevice[] {x, y});
                        x.pause(y);
                        y.pause(x);
                    }
                }
            }
            Await.until("devices disconnected across " + parts, CONNECT, this::cutHolds);
        }

        private boolean cutHolds() {
            return cut.stream().noneMatch(p -> p[0].connectedTo(p[1]) || p[1].connectedTo(p[0]));
        }

        private void operate() {
            for (String dir : dirs) {
                int n = 1 + random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    TestDevice device = pick(cluster.devices);
                    touched.get(part(device)).addAll(ops.apply(device, dir));
                    operations++;
                }
            }
        }

        private void settleParts() {
            cluster.devices.forEach(TestDevice::scanNow);
            for (List<TestDevice> part : parts) {
                if (part.size() > 1) {
                    cluster.awaitIdentical(SETTLE, part);
                }
            }
            if (!cutHolds()) {
                throw new AssertionError("a paused link reconnected during the partition");
            }
            for (List<TestDevice> part : parts) {
                finals.add(FolderContents.read(part.get(0).folder, dirs));
            }
        }

        private void heal() {
            // Twice: the second round resets dial backoff grown by dials the other side still refused.
            for (int round = 0; round < 2; round++) {
                for (TestDevice[] p : cut) {
                    p[0].resume(p[1]);
                    p[1].resume(p[0]);
                }
            }
            log.add("healed");
            cluster.awaitConnected(CONNECT);
            cluster.awaitIdentical(SETTLE);
        }

        /**
         * Every part's final content must still be on the healed devices, at its name or in a
         * conflict copy of it beside it. This holds for the merge rules because content written
         * during the partition is unique and unknown to the other parts, so no version there can
         * dominate it: against another part's version of the same name it is concurrent, and
         * then either the later of two edits wins and the other is kept as a conflict copy, or
         * an edit beats a deletion, or a directory beats a file and the file is kept as a conflict
         * copy. Deleting a directory in one part does not remove a file another part wrote in it:
         * that file is concurrent with the deletion and the directory lives on. The one exception
         * is base content that a part left alone while another part changed (overwrote, deleted,
         * renamed away) that name: the change dominates the untouched base version, which is then
         * causally superseded and may be gone. "Changed" is taken from the operations tried, so
         * an operation that failed half way only makes this exception wider, never the check
         * stricter.
         */
        private int check() {
            Map<String, String> healed = FolderContents.read(cluster.get(0).folder, dirs);
            List<String> lost = new ArrayList<>();
            int checked = 0;
            for (int i = 0; i < parts.size(); i++) {
                for (var e : finals.get(i).entrySet()) {
                    String name = e.getKey();
                    String content = e.getValue();
                    boolean superseded = content.equals(baseState.get(name)) && changedElsewhere(i, name);
                    checked += superseded ? 0 : 1;
                    if (!superseded && FolderContents.whereKept(healed, name, content) == null) {
                        lost.add(name + " = " + firstLine(content) + " (final on " + parts.get(i) + ")");
                    }
                }
            }
            for (String dir : dirs) {
                if (!Files.isDirectory(cluster.get(0).file(dir))) {
                    lost.add(dir + " (a directory no operation deleted)");
                }
            }
            if (!lost.isEmpty()) {
                throw new AssertionError("content lost after healing: " + lost);
            }
            return checked;
        }

        private boolean changedElsewhere(int part, String name) {
            for (int j = 0; j < parts.size(); j++) {
                if (j != part && touched.get(j).contains(name)) {
                    return true;
                }
            }
            return false;
        }

        private int part(TestDevice d) {
            for (int i = 0; i < parts.size(); i++) {
                if (parts.get(i).contains(d)) {
                    return i;
                }
            }
            throw new IllegalStateException(d + " is in no part of " + parts);
        }

        private <T> T pick(List<T> list) {
            return list.get(random.nextInt(list.size()));
        }

        private String report(long seed, Throwable failure) {
            StringBuilder sb = new StringBuilder();
            sb.append("randomized convergence failed: seed ").append(seed).append(", batch ").append(index)
                    .append(" (").append(dirs).append("): ").append(failure.getMessage())
                    .append("\noperations:");
            log.forEach(l -> sb.append("\n  ").append(l));
            sb.append("\nbase state:");
            appendState(sb, baseState);
            for (int i = 0; i < finals.size(); i++) {
                sb.append("\nfinal state of ").append(parts.get(i)).append(':');
                appendState(sb, finals.get(i));
            }
            for (TestDevice d : cluster.devices) {
                sb.append("\nnow on ").append(d).append(" (").append(d.status()).append("):");
                try {
                    appendState(sb, FolderContents.read(d.folder, dirs));
                } catch (RuntimeException e) {
                    sb.append(" unreadable: ").append(e);
                }
            }
            return sb.toString();
        }

        private static void appendState(StringBuilder sb, Map<String, String> state) {
            state.forEach((k, v) -> sb.append("\n    ").append(k).append(" = ").append(firstLine(v)));
        }

        private static String firstLine(String content) {
            int nl = content.indexOf('\n');
            return nl < 0 ? content : content.substring(0, nl);
        }
    }
}
