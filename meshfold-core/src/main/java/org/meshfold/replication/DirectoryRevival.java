package org.meshfold.replication;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.meshfold.clock.Hlc;
import org.meshfold.clock.HlcClock;
import org.meshfold.clock.VersionVector;
import org.meshfold.fs.PathNames;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FileType;
import org.meshfold.index.FolderIndex;
import org.meshfold.replication.merge.GlobalSelector;

/**
 * Keeps directories alive that a deletion would otherwise leave inconsistent: when a directory's
 * global version is a tombstone but something inside it lives on (an edit that beat the deletion
 * of its parent, a file not yet scanned), the directory gets a new version that dominates the
 * tombstone, so every device keeps (or recreates) it instead of disagreeing forever. The same
 * holds when the global version is a file or symlink that replaced the directory elsewhere: see
 * {@link #keepAgainst}.
 */
final class DirectoryRevival {
    private final Path root;
    private final FolderIndex index;
    private final HlcClock hlc;
    private final long self;

    DirectoryRevival(Path root, FolderIndex index, HlcClock hlc, long self) {
        this.root = root;
        this.index = index;
        this.hlc = hlc;
        this.self = self;
    }

    /** True if an entry of directory {@code name} (other than our temp files) is live globally or unknown. */
    boolean hasLiveChildren(String name, Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path e : entries) {
                String child = e.getFileName().toString();
                if (PathNames.isTemp(child)) {
                    continue;
                }
                Optional<GlobalSelector.Selection<FileRecord>> sel = select(name + "/" + child);
                if (sel.isEmpty() || !sel.get().winner().deleted()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A new version of directory {@code local} when {@code replacement}, a file or symlink that
     * supersedes it, would replace it although something inside it lives on (a file another
     * device added while this name became a file elsewhere); empty if the replacement may go
     * ahead. The new version is concurrent with the replacement, not dominating it: the
     * replacement's counter for this device is at most the local one, which the new version
     * raises, and the replacement is ahead of the local version for some other device. So the
     * directory wins the conflict (a directory beats a file) and the devices holding the file keep
     * it as a conflict copy; otherwise the file side could never put the entries inside in place
     * and this side could never remove the directory.
     */
    Optional<FileRecord> keepAgainst(FileRecord local, FileRecord replacement) {
        if (local == null || local.deleted() || local.type() != FileType.DIRECTORY || replacement.deleted()
                || replacement.type() == FileType.DIRECTORY) {
            return Optional.empty();
        }
        Path p = PathNames.resolve(root, local.name());
        try {
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || !hasLiveChildren(local.name(), p)) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty(); // the pull fails on the same directory and is retried
        }
        return Optional.of(directory(local.name(), local.permissions(), local.mtimeNanos(), local.version()));
    }

    /** A new live version of directory {@code local} that dominates the tombstone {@code deleted}. */
    FileRecord revive(FileRecord local, FileRecord deleted) {
        return directory(local.name(), local.permissions(), local.mtimeNanos(),
                local.version().merge(deleted.version()));
    }

    List<FileRecord> reviveParents(List<String> names) {
        List<FileRecord> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            for (String dir = PathNames.parent(name); !dir.isEmpty() && seen.add(dir); dir = PathNames.parent(dir)) {
                reviveIfDeleted(dir).ifPresent(out::add);
            }
        }
        return out;
    }

    private Optional<FileRecord> reviveIfDeleted(String dir) {
        Optional<FileRecord> local = index.local(dir);
        Optional<GlobalSelector.Selection<FileRecord>> sel = select(dir);
        Path p = PathNames.resolve(root, dir);
        if (local.filter(r -> !r.deleted()).isPresent() || sel.isEmpty() || !sel.get().winner().deleted()
                || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        VersionVector base = local.map(FileRecord::version).orElse(VersionVector.EMPTY).merge(sel.get().vector());
        try {
            return Optional.of(directory(dir, DiskState.permissions(p), 0, base));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private FileRecord directory(String name, int permissions, long mtimeNanos, VersionVector base) {
        Hlc now = hlc.now();
        return new FileRecord(name, FileType.DIRECTORY, 0, permissions, mtimeNanos, List.of(), null, "", false,
                base.bump(self, now), now, self, 0);
    }

    private Optional<GlobalSelector.Selection<FileRecord>> select(String name) {
        Map<Long, FileRecord> remotes = index.remotes(name);
        return FileVersions.SELECTOR.select(index.local(name).orElse(null), remotes.values());
    }
}
