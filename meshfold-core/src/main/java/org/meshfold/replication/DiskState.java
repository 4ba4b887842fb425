package org.meshfold.replication;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.meshfold.index.FileRecord;

/** Checks and small operations on the folder's files; never follows symlinks. */
final class DiskState {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

    private DiskState() {
    }

    /**
     * True if {@code path} is still what {@code expected} describes (type, and for files size and
     * mtime to the nanosecond; for symlinks the target). A null or deleted record expects nothing
     * on disk.
     */
    static boolean matches(Path path, FileRecord expected) throws IOException {
        BasicFileAttributes attrs = attributes(path);
        if (expected == null || expected.deleted()) {
            return attrs == null;
        }
        if (attrs == null) {
            return false;
        }
        return switch (expected.type()) {
            case FILE -> attrs.isRegularFile() && attrs.size() == expected.size()
                    && attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS) == expected.mtimeNanos();
            case DIRECTORY -> attrs.isDirectory();
            case SYMLINK -> attrs.isSymbolicLink()
                    && Files.readSymbolicLink(path).toString().equals(expected.symlinkTarget());
        };
    }

    /** The attributes of {@code path} itself, or null if nothing is there. */
    static BasicFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    static boolean exists(Path path) {
        return Files.exists(path, NOFOLLOW);
    }

    /**
     * Throws if a directory between the root and {@code path} is a symlink or not a directory, so
     * a write can never be redirected outside the folder by a link a peer created.
     */
    static void checkParents(Path root, Path path) throws IOException {
        Path dir = path.getParent();
        while (dir != null && dir.startsWith(root) && !dir.equals(root)) {
            BasicFileAttributes attrs = attributes(dir);
            if (attrs != null && !attrs.isDirectory()) {
                throw new FileSystemException(dir.toString(), null,
                        "is a symlink or file, not a directory; refusing to write " + path + " through it");
            }
            dir = dir.getParent();
        }
    }

    /** Creates the parent directories of {@code path} after checking none of the existing ones is a symlink. */
    static void createParents(Path root, Path path) throws IOException {
        checkParents(root, path);
        Files.createDirectories(path.getParent());
    }

    static void setMtime(Path path, long mtimeNanos) throws IOException {
        Files.setLastModifiedTime(path, FileTime.from(mtimeNanos, TimeUnit.NANOSECONDS));
    }

    /** Sets the permission bits; ignored on file systems without POSIX permissions. */
    static void setPermissions(Path path, int mode) throws IOException {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < BITS.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                perms.add(BITS[bit]);
            }
        }
        try {
            Files.setPosixFilePermissions(path, perms);
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: permissions are not kept there.
        }
    }

    /** Permission bits of {@code path} (0755 on file systems without POSIX permissions). */
    static int permissions(Path path) throws IOException {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path, NOFOLLOW);
            int mode = 0;
            for (int bit = 0; bit < BITS.length; bit++) {
                if (perms.contains(BITS[bit])) {
                    mode |= 1 << bit;
                }
            }
            return mode;
        } catch (UnsupportedOperationException e) {
            return 0755;
        }
    }

    /** Makes a directory's entries (creations, renames, deletions) durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
