package org.meshfold.scanner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FileType;

/**
 * The metadata of one entry as seen on disk, read without following a symbolic link. The
 * scanner hashes a file only when this differs from the local record.
 *
 * @param size        bytes of a file; 0 for directories and symlinks
 * @param permissions POSIX mode bits (0777 mask); 0 for symlinks
 */
record FileStat(FileType type, long size, int permissions, long mtimeNanos, String symlinkTarget) {

    /**
     * Reads the entry at {@code path}, or returns null if it is neither a regular file, a
     * directory nor a symlink (a fifo, socket or device is never synced).
     */
    static FileStat read(Path path) throws IOException {
        BasicFileAttributes a;
        int mode;
        try {
            PosixFileAttributes posix = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            a = posix;
            mode = mode(posix.permissions());
        } catch (UnsupportedOperationException e) {
            a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            mode = a.isDirectory() ? 0755 : 0644;
        }
        long mtime = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        if (a.isSymbolicLink()) {
            return new FileStat(FileType.SYMLINK, 0, 0, mtime, Files.readSymbolicLink(path).toString());
        }
        if (a.isDirectory()) {
            return new FileStat(FileType.DIRECTORY, 0, mode, mtime, "");
        }
        if (a.isRegularFile()) {
            return new FileStat(FileType.FILE, a.size(), mode, mtime, "");
        }
        return null;
    }

    /**
     * True if the local record already describes this entry. A directory's mtime is not
     * compared (it changes whenever an entry inside is added or removed, which is recorded on
     * that entry), nor a symlink's (its target is its content).
     */
    boolean unchangedFrom(FileRecord r) {
        if (r.deleted() || r.type() != type) {
            return false;
        }
        return switch (type) {
            case FILE -> r.size() == size && r.mtimeNanos() == mtimeNanos && r.permissions() == permissions;
            case DIRECTORY -> r.permissions() == permissions;
            case SYMLINK -> r.symlinkTarget().equals(symlinkTarget);
        };
    }

    /** True if a file kept its type, size and mtime: its content was stable between two reads. */
    boolean sameFile(FileStat other) {
        return other != null && type == other.type && size == other.size && mtimeNanos == other.mtimeNanos;
    }

    private static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            // OWNER_READ .. OTHERS_EXECUTE are declared in mode-bit order 0400 .. 0001.
            mode |= 1 << (8 - p.ordinal());
        }
        return mode;
    }
}
