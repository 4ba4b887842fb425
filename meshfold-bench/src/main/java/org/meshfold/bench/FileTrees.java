package org.meshfold.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * Removes a run's homes, folders and data. Trees of many files are removed only at the end of a
 * benchmark: the machine's ext4 (without a journal) skips inodes freed within the last minute or
 * more when it allocates new ones, so the run after a deletion of 40,000 files spent seconds of
 * CPU in file creation (seen in a profile) and was slowed by the run before it.
 */
final class FileTrees {
    private FileTrees() {
    }

    /** Files from this size on are removed right after their run: few inodes, much space. */
    static final long LARGE_FILE_BYTES = 64L << 20;

    /** Deletes the files of at least {@link #LARGE_FILE_BYTES} under {@code root}, to free space between runs. */
    static void deleteLargeFiles(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> large = Files.find(root, Integer.MAX_VALUE,
                (file, attrs) -> attrs.isRegularFile() && attrs.size() >= LARGE_FILE_BYTES)) {
            for (Path file : (Iterable<Path>) large::iterator) {
                Files.delete(file);
            }
        }
    }

    /** Deletes {@code root} and everything under it; nothing if it does not exist. */
    static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
