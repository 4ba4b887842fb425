package org.meshfold.replication;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.meshfold.clock.HlcClock;
import org.meshfold.fs.PathNames;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FileType;
import org.meshfold.index.FolderIndex;

/**
 * Applies the quick actions on the folder loop: version-only updates, directory creation and
 * deletions. Each checks first that the disk still matches the local record (otherwise the user
 * changed it: the name is skipped and rescanned), then fsyncs the touched directories once before
 * the records are returned for one index commit, so the index never runs ahead of the disk.
 */
final class LocalApplier {
    private final Path root;
    private final FolderIndex index;
    private final HlcClock hlc;
    private final long self;
    private final DirectoryRevival revival;
    private int conflicts;

    /** Records to commit, names skipped (with the reason) or failed, and conflict copies made. */
    record Result(List<FileRecord> commits, Map<String, String> deferred, Map<String, Exception> failed,
                  int conflicts) {
    }

    LocalApplier(Path root, FolderIndex index, HlcClock hlc, long self) {
        this.root = root;
        this.index = index;
        this.hlc = hlc;
        this.self = self;
        this.revival = new DirectoryRevival(root, index, hlc, self);
    }

    /** Applies {@code actions} in the given order (the caller orders directories and deletions). */
    Result apply(List<NeedAction> actions) {
        List<FileRecord> commits = new ArrayList<>();
        Map<String, String> deferred = new LinkedHashMap<>();
        Map<String, Exception> failed = new LinkedHashMap<>();
        Set<Path> dirs = new LinkedHashSet<>();
        conflicts = 0;
        for (NeedAction a : actions) {
            try {
                String skip = switch (a) {
                    case NeedAction.UpdateMeta u -> updateMeta(u, commits);
                    case NeedAction.MakeDir m -> makeDir(m, commits, dirs);
                    case NeedAction.Delete d -> delete(d, commits, dirs);
                    case NeedAction.Pull p -> throw new IllegalArgumentException("pulls are not quick: " + p.name());
                };
                if (skip != null) {
                    deferred.put(a.name(), skip);
                }
            } catch (IOException | RuntimeException e) {
                failed.put(a.name(), e);
            }
        }
        try {
            for (Path dir : dirs) {
                if (Files.isDirectory(dir)) {
                    DiskState.fsyncDirectory(dir);
                }
            }
        } catch (IOException e) {
            commits.forEach(r -> failed.put(r.name(), e));
            commits.clear();
        }
        return new Result(commits, deferred, failed, conflicts);
    }

    /** Directory records for ancestors of {@code names} that exist on disk although their global version is deleted. */
    List<FileRecord> reviveParents(List<String> names) {
        return revival.reviveParents(names);
    }

    /**
     * A new version of the local directory that {@code pull} would replace with a file or symlink
     * although something inside it lives on; the directory is then kept (see
     * {@link DirectoryRevival#keepAgainst}). Empty if the pull may go ahead.
     */
    Optional<FileRecord> keepDirectory(NeedAction.Pull pull) {
        return revival.keepAgainst(pull.local(), pull.target());
    }

    private String updateMeta(NeedAction.UpdateMeta u, List<FileRecord> commits) throws IOException {
        FileRecord l = u.local();
        FileRecord t = u.target();
        Path p = PathNames.resolve(root, t.name());
        if (!t.deleted() && t.type() == FileType.FILE
                && (l.mtimeNanos() != t.mtimeNanos() || l.permissions() != t.permissions())) {
            if (!DiskState.matches(p, l)) {
                return "changed locally since the last scan";
            }
            DiskState.setPermissions(p, t.permissions());
            DiskState.setMtime(p, t.mtimeNanos());
        }
        if (!t.deleted() && t.type() == FileType.DIRECTORY && t.permissions() != 0
                && t.permissions() != l.permissions() && Files.isDirectory(p)) {
            DiskState.setPermissions(p, t.permissions());
        }
        commits.add(t);
        return null;
    }

    private String makeDir(NeedAction.MakeDir m, List<FileRecord> commits, Set<Path> dirs) throws IOException {
        FileRecord l = m.local();
        Path p = PathNames.resolve(root, m.name());
        DiskState.checkParents(root, p);
        BasicFileAttributes attrs = DiskState.attributes(p);
        if (l != null && !l.deleted() && l.type() != FileType.DIRECTORY) {
            if (!DiskState.matches(p, l)) {
                return "changed locally since the last scan";
            }
            if (m.copy() != null && !m.copy().present()) {
                Path copy = PathNames.resolve(root, m.copy().name());
                if (DiskState.exists(copy)) {
                    return "conflict copy name " + m.copy().name() + " is taken on disk";
                }
                Files.move(p, copy, StandardCopyOption.ATOMIC_MOVE);
                commits.add(ConflictNames.copyRecord(index, l, m.copy().name(), hlc.now(), self));
                conflicts++;
            } else {
                Files.delete(p);
            }
        } else if (attrs != null && !attrs.isDirectory()) {
            return "a file not yet scanned is in the way";
        }
        Files.createDirectories(p);
        if (m.target().permissions() != 0) {
            DiskState.setPermissions(p, m.target().permissions());
        }
        dirs.add(p.getParent());
        commits.add(m.target());
        return null;
    }

    private String delete(NeedAction.Delete d, List<FileRecord> commits, Set<Path> dirs) throws IOException {
        FileRecord l = d.local();
        Path p = PathNames.resolve(root, d.name());
        if (l == null || l.deleted()) {
            if (DiskState.exists(p)) {
                return "a file not yet scanned exists";
            }
            commits.add(d.target());
            return null;
        }
        DiskState.checkParents(root, p);
        if (!DiskState.matches(p, l)) {
            return "changed locally since the last scan";
        }
        if (l.type() == FileType.DIRECTORY) {
            removeTempFiles(p);
            try {
                Files.deleteIfExists(p);
            } catch (DirectoryNotEmptyException e) {
                if (!revival.hasLiveChildren(d.name(), p)) {
                    return "directory is not empty yet";
                }
                // Something in it lives on (an edit that beat the deletion, an unscanned file): keep it.
                commits.add(revival.revive(l, d.target()));
                return null;
            }
        } else {
            Files.deleteIfExists(p);
        }
        dirs.add(p.getParent());
        commits.add(d.target());
        return null;
    }

    /** Removes our own leftover temp files from a directory that is being deleted. */
    private static void removeTempFiles(Path dir) throws IOException {
        try (DirectoryStream<Path> entries =
                     Files.newDirectoryStream(dir, e -> PathNames.isTemp(e.getFileName().toString()))) {
            for (Path e : entries) {
                Files.deleteIfExists(e);
            }
        }
    }
}
