package org.meshfold.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/**
 * A data set generated once per benchmark invocation and hard-linked into every sender folder,
 * so each run starts from the same bytes without copying them. The tools only read a sender's
 * files, and an edit is a new copy renamed over the link, which leaves the master intact; a
 * changed master would show as a tree-hash mismatch on the next run's receiver.
 *
 * @param root  where the master files are
 * @param files what a receiver must end up with
 */
record MasterData(Path root, Map<String, Datasets.Expected> files) {

    /** Data a generator writes into an empty directory. */
    interface Generator {
        Map<String, Datasets.Expected> write(Path dir) throws IOException;
    }

    static MasterData generate(Path root, Generator generator) throws IOException {
        Files.createDirectories(root);
        return new MasterData(root, Map.copyOf(generator.write(root)));
    }

    TreeHash treeHash() {
        return TreeHash.of(files);
    }

    /** Recreates the master's directories in {@code folder} and hard-links every file into them. */
    void linkInto(Path folder) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(folder.resolve(root.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.createLink(folder.resolve(root.relativize(file).toString()), file);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
