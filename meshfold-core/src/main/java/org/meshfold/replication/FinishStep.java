package org.meshfold.replication;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.meshfold.fs.PathNames;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FileType;

/**
 * The I/O of finishing pulled files, in the order that keeps the disk ahead of the index:
 * make each temp file durable (size, permissions, mtime, fsync), then per file check that the
 * target still is what the local record says (otherwise the user changed it: skip, rescan),
 * keep a conflict loser under its copy name, rename the temp over the target, and finally fsync
 * every touched directory once. Runs on the I/O executor.
 */
final class FinishStep {
    private final Path root;

    /** What became of a batch: installed jobs, and the names skipped or failed with the reason. */
    record Result(List<PullJob> installed, Map<PullJob, String> deferred, Map<PullJob, Exception> failed) {
    }

    FinishStep(Path root) {
        this.root = root;
    }

    /** Makes one temp file durable with its final size, permissions and mtime. */
    static void makeDurable(PullJob job) throws IOException {
        FileRecord g = job.global();
        if (g.type() != FileType.FILE) {
            return;
        }
        try (FileChannel ch = FileChannel.open(job.temp, StandardOpenOption.WRITE)) {
            if (ch.size() > g.size()) {
                ch.truncate(g.size());
            }
            ch.force(true);
        }
        DiskState.setPermissions(job.temp, g.permissions());
        DiskState.setMtime(job.temp, g.mtimeNanos());
    }

    /** Puts durable temp files in place; {@code syncErrors} are jobs whose temp could not be made durable. */
    Result install(List<PullJob> jobs, Map<PullJob, Exception> syncErrors) {
        List<PullJob> installed = new ArrayList<>();
        Map<PullJob, String> deferred = new LinkedHashMap<>();
        Map<PullJob, Exception> failed = new LinkedHashMap<>(syncErrors);
        Set<Path> dirs = new LinkedHashSet<>();
        for (PullJob job : jobs) {
            if (failed.containsKey(job)) {
                continue;
            }
            try {
                String skip = installOne(job, dirs);
                if (skip == null) {
                    installed.add(job);
                } else {
                    deferred.put(job, skip);
                }
            } catch (IOException | RuntimeException e) {
                failed.put(job, e);
            }
        }
        for (Path dir : dirs) {
            try {
                DiskState.fsyncDirectory(dir);
            } catch (IOException e) {
                // Not known to be durable: do not let the index get ahead of the disk.
                for (PullJob j : List.copyOf(installed)) {
                    if (j.target.getParent().equals(dir)) {
                        installed.remove(j);
                        failed.put(j, e);
                    }
                }
            }
        }
        return new Result(installed, deferred, failed);
    }

    /** Returns null when installed, else why the name was skipped. */
    private String installOne(PullJob job, Set<Path> dirs) throws IOException {
        NeedAction.Pull a = job.action;
        DiskState.checkParents(root, job.target);
        if (!DiskState.matches(job.target, a.local())) {
            return "changed locally since the last scan";
        }
        if (a.copy() != null && !a.copy().present()) {
            Path copy = PathNames.resolve(root, a.copy().name());
            if (DiskState.exists(copy)) {
                return "conflict copy name " + a.copy().name() + " is taken on disk";
            }
            DiskState.createParents(root, copy);
            Files.move(job.target, copy, StandardCopyOption.ATOMIC_MOVE);
            dirs.add(copy.getParent());
        }
        BasicFileAttributes attrs = DiskState.attributes(job.target);
        if (attrs != null && attrs.isDirectory()) {
            Files.delete(job.target); // a directory replaced by a file: only if empty
        }
        Files.move(job.temp, job.target, StandardCopyOption.ATOMIC_MOVE);
        dirs.add(job.target.getParent());
        return null;
    }
}
