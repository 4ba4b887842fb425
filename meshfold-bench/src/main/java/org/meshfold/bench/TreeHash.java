package org.meshfold.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One SHA-256 over a folder's user files: for each regular file in path order, its relative path
 * ('/'-separated), size and content SHA-256. Two folders with the same tree hash hold the same
 * files with the same content under the same names. Files a tool keeps for itself (see
 * {@link SyncPair#isToolFile}) are left out.
 *
 * @param hex   the hash, in hex
 * @param files number of files
 * @param bytes total size
 */
record TreeHash(String hex, int files, long bytes) {

    /** The tree hash a folder holding exactly {@code files} has. */
    static TreeHash of(Map<String, Datasets.Expected> files) {
        MessageDigest md = Datasets.sha256();
        long bytes = 0;
        for (var e : new TreeMap<>(files).entrySet()) {
            md.update((e.getKey() + "\0" + e.getValue().size() + "\0" + e.getValue().sha256() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            bytes += e.getValue().size();
        }
        return new TreeHash(Datasets.hex(md), files.size(), bytes);
    }

    /** Reads and hashes every user file under {@code folder}. */
    static Map<String, Datasets.Expected> read(Path folder, Predicate<String> toolFile) throws IOException {
        Map<String, Datasets.Expected> files = new TreeMap<>();
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String relative = folder.relativize(file).toString();
                if (!toolFile.test(relative)) {
                    if (!attrs.isRegularFile()) {
                        throw new IOException(file + " is not a regular file; the data sets hold only files");
                    }
                    files.put(relative, new Datasets.Expected(attrs.size(), Datasets.sha256Of(file)));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }

    /**
     * Hashes {@code folder} and fails, naming the first difference, unless its tree hash is that of
     * {@code expected}; returns the hash.
     */
    static TreeHash verify(Path folder, Map<String, Datasets.Expected> expected, Predicate<String> toolFile)
            throws IOException {
        Map<String, Datasets.Expected> actual = read(folder, toolFile);
        TreeHash want = of(expected);
        TreeHash got = of(actual);
        if (!got.equals(want)) {
            throw new IOException(folder + " has tree hash " + got.hex() + " (" + got.files() + " files), expected "
                    + want.hex() + " (" + want.files() + " files): " + firstDifference(expected, actual));
        }
        return got;
    }

    private static String firstDifference(Map<String, Datasets.Expected> expected,
            Map<String, Datasets.Expected> actual) {
        for (var e : new TreeMap<>(expected).entrySet()) {
            Datasets.Expected a = actual.get(e.getKey());
            if (a == null) {
                return e.getKey() + " is missing";
            }
            if (!a.equals(e.getValue())) {
                return e.getKey() + " has size " + a.size() + " and SHA-256 " + a.sha256() + ", expected size "
                        + e.getValue().size() + " and SHA-256 " + e.getValue().sha256();
            }
        }
        return actual.keySet().stream().filter(k -> !expected.containsKey(k)).findFirst()
                .map(k -> k + " is not expected").orElse(Objects.toString(null));
    }

    String shortHex() {
        return hex.substring(0, 12);
    }
}
