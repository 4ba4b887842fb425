package org.meshfold.it.traversal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a receiver had verified and kept when it died: files in place with the sender's content
 * (by name, with their inode), and temp files ({@value #TEMP_PREFIX}{@code name}) already holding a
 * whole file's content. Names are relative to the directory compared.
 */
record KeptFiles(Map<String, Object> inPlace, long inPlaceBytes, int tempFiles, long tempBytes) {
    static final String TEMP_PREFIX = ".meshfold-tmp-";

    /** Inspects {@code mine} against the sender's {@code theirs}. */
    static KeptFiles inspect(Path mine, Path theirs) {
        Map<String, Object> inPlace = new TreeMap<>();
        long inPlaceBytes = 0;
        int temps = 0;
        long tempBytes = 0;
        for (Path p : all(mine)) {
            String fileName = p.getFileName().toString();
            boolean temp = fileName.startsWith(TEMP_PREFIX);
            Path original = theirs.resolve(mine.relativize(p)).resolveSibling(temp
                    ? fileName.substring(TEMP_PREFIX.length()) : fileName);
            if (!same(p, original)) {
                continue;
            }
            long size = size(p);
            if (temp) {
                temps++;
                tempBytes += size;
            } else {
                inPlace.put(mine.relativize(p).toString(), inode(p));
                inPlaceBytes += size;
            }
        }
        return new KeptFiles(inPlace, inPlaceBytes, temps, tempBytes);
    }

    /** Regular files under {@code dir} that are not temp files (none if it does not exist). */
    static List<Path> files(Path dir) {
        return all(dir).stream().filter(p -> !p.getFileName().toString().startsWith(TEMP_PREFIX)).toList();
    }

    /** Name to inode of each of {@code names} under {@code dir} now. */
    static Map<String, Object> inodes(Path dir, Collection<String> names) {
        Map<String, Object> out = new TreeMap<>();
        for (String name : names) {
            out.put(name, inode(dir.resolve(name)));
        }
        return out;
    }

    /** Names of files that are not the same under both directories (missing ones included). */
    static List<String> differences(Path mine, Path theirs) {
        List<String> out = new ArrayList<>();
        for (Path p : files(theirs)) {
            String name = theirs.relativize(p).toString();
            if (!same(mine.resolve(name), p)) {
                out.add(name);
            }
        }
        for (Path p : files(mine)) {
            if (!Files.exists(theirs.resolve(mine.relativize(p)))) {
                out.add(mine.relativize(p).toString());
            }
        }
        return out;
    }

    private static List<Path> all(Path dir) {
        for (int attempt = 1; ; attempt++) {
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                return walk.filter(Files::isRegularFile).toList();
            } catch (IOException | UncheckedIOException e) {
                // A running daemon may rename or remove a file during the walk: walk again.
                if (attempt == 5) {
                    throw new AssertionError("cannot list " + dir, e);
                }
            }
        }
    }

    private static boolean same(Path a, Path b) {
        try {
            return Files.isRegularFile(a) && Files.isRegularFile(b) && Files.mismatch(a, b) == -1;
        } catch (IOException e) {
            return false;
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + p, e);
        }
    }

    private static Object inode(Path p) {
        try {
            return Files.getAttribute(p, "unix:ino");
        } catch (IOException e) {
            return "missing";
        }
    }
}
