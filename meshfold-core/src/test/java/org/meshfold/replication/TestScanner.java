package org.meshfold.replication;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.meshfold.clock.HlcClock;
import org.meshfold.clock.VersionVector;
import org.meshfold.fs.PathNames;
import org.meshfold.index.Block;
import org.meshfold.index.BlockHash;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FileType;
import org.meshfold.index.FolderIndex;

/**
 * A minimal scanner for tests: walks the folder, compares type, size, mtime and permissions with
 * the local records, and produces new records (version bumped, content split into fixed-size
 * blocks) for what changed, and tombstones for what disappeared.
 */
final class TestScanner {
    static final int BLOCK = 64 * 1024;

    private final Path root;
    private final FolderIndex index;
    private final HlcClock hlc;
    private final long self;
    private final int blockSize;

    TestScanner(Path root, FolderIndex index, HlcClock hlc, long self, int blockSize) {
        this.root = root;
        this.index = index;
        this.hlc = hlc;
        this.self = self;
        this.blockSize = blockSize;
    }

    /** Scans the folder; a walk that meets an entry vanishing under it (a finished download) starts again. */
    List<FileRecord> scan() {
        for (int attempt = 1; ; attempt++) {
            try {
                return scanOnce();
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException) || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    private List<FileRecord> scanOnce() {
        List<FileRecord> changes = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted().toList()) {
                String name = root.relativize(p).toString().replace('\\', '/');
                if (name.isEmpty() || isTemp(name)) {
                    continue;
                }
                seen.add(name);
                FileRecord now = describe(name, p);
                Optional<FileRecord> known = index.local(name);
                if (known.isEmpty() || !unchanged(known.get(), now)) {
                    changes.add(withVersion(now, known));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        index.forEachLocal(r -> {
            if (!r.deleted() && !seen.contains(r.name())) {
                changes.add(r.asDeleted(r.version().bump(self), hlc.now(), self));
            }
        });
        return changes;
    }

    /** The fixed-size blocks of {@code data}. */
    static List<Block> blocks(byte[] data, int blockSize) {
        List<Block> out = new ArrayList<>();
        for (int off = 0; off < data.length; off += blockSize) {
            int size = Math.min(blockSize, data.length - off);
            out.add(new Block(off, size, BlockHash.sha256(data, off, size)));
        }
        return out;
    }

    private static boolean isTemp(String name) {
        for (String part : name.split("/")) {
            if (PathNames.isTemp(part)) {
                return true;
            }
        }
        return false;
    }

    private static boolean unchanged(FileRecord known, FileRecord now) {
        return !known.deleted() && known.type() == now.type() && known.size() == now.size()
                && known.permissions() == now.permissions() && known.symlinkTarget().equals(now.symlinkTarget())
                && (known.type() != FileType.FILE || known.mtimeNanos() == now.mtimeNanos());
    }

    private FileRecord withVersion(FileRecord r, Optional<FileRecord> known) {
        VersionVector base = known.map(FileRecord::version).orElse(VersionVector.EMPTY);
        return new FileRecord(r.name(), r.type(), r.size(), r.permissions(), r.mtimeNanos(), r.blocks(), null,
                r.symlinkTarget(), false, base.bump(self), hlc.now(), self, 0);
    }

    private FileRecord describe(String name, Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        long mtime = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        if (a.isSymbolicLink()) {
            return record(name, FileType.SYMLINK, 0, 0, mtime, List.of(), Files.readSymbolicLink(p).toString());
        }
        int perms = DiskState.permissions(p);
        if (a.isDirectory()) {
            return record(name, FileType.DIRECTORY, 0, perms, 0, List.of(), "");
        }
        byte[] data = Files.readAllBytes(p);
        return record(name, FileType.FILE, data.length, perms, mtime, blocks(data, blockSize), "");
    }

    private static FileRecord record(String name, FileType type, long size, int perms, long mtime, List<Block> blocks,
                                     String target) {
        return new FileRecord(name, type, size, perms, mtime, blocks, null, target, false, VersionVector.EMPTY,
                org.meshfold.clock.Hlc.ZERO, 0, 0);
    }
}
