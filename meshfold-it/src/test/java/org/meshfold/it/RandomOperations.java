package org.meshfold.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Random user operations on the files of one directory of a device's folder, done directly on
 * disk as a user would: write a new file, overwrite one, delete a file or a whole directory,
 * rename a file to a free name, create a directory. Files are named {@code f0.txt}..{@code f3.txt},
 * at the top of the directory or inside one of its top-level directories; top-level directories
 * take any name of {@link #TOP_NAMES}, so a name can be a file on one device and a directory on
 * another. Every operation is logged, and reports the names it touched (relative to the folder).
 *
 * <p>Every written content is unique, and so is its size: a scanner that compares size and mtime
 * cannot tell two same-size writes apart within one mtime tick, a limit of every such scanner
 * that this test is not about.
 */
final class RandomOperations {
    static final List<String> FILE_NAMES = List.of("f0.txt", "f1.txt", "f2.txt", "f3.txt");
    static final List<String> TOP_NAMES = List.of("d0", "d1", "f0.txt", "f1.txt", "f2.txt", "f3.txt");
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final SplittableRandom random;
    private final List<String> log;
    private int writes;

    RandomOperations(SplittableRandom random, List<String> log) {
        this.random = random;
        this.log = log;
    }

    /** Content no other write of this run has, naming where it was written. */
    byte[] content(String where) {
        int n = ++writes;
        String head = "write #" + n + " of " + where + "\n";
        return (head + "~".repeat(Math.max(0, 100 + n - head.length()))).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes a file while all devices are connected: part of the state every side starts from.
     * Returns the content written.
     */
    String writeBase(TestDevice device, String name) {
        Path p = device.file(name);
        byte[] content = content(device + ":" + name);
        try {
            Files.createDirectories(p.getParent());
            Files.write(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write base file " + p, e);
        }
        log.add("base " + device + " write " + name);
        return new String(content, StandardCharsets.UTF_8);
    }

    /** Applies one random operation in {@code dir} on {@code device}; returns the names it touched. */
    Set<String> apply(TestDevice device, String dir) {
        Path root = device.file(dir);
        List<String> topDirs = TOP_NAMES.stream().filter(n -> Files.isDirectory(root.resolve(n), NOFOLLOW)).toList();
        List<String> slots = new ArrayList<>(FILE_NAMES);
        topDirs.forEach(d -> FILE_NAMES.forEach(f -> slots.add(d + "/" + f)));
        List<String> files = slots.stream().filter(n -> Files.isRegularFile(root.resolve(n), NOFOLLOW)).toList();
        List<String> free = slots.stream().filter(n -> !Files.exists(root.resolve(n), NOFOLLOW)).toList();
        List<String> freeTop = TOP_NAMES.stream().filter(n -> !Files.exists(root.resolve(n), NOFOLLOW)).toList();
        List<String> deletable = new ArrayList<>(files);
        deletable.addAll(topDirs);

        Set<String> touched = new TreeSet<>();
        int kind = random.nextInt(100);
        String what;
        try {
            if (kind < 25 && !files.isEmpty()) {
                String name = pick(files);
                what = "overwrite " + name;
                touched.add(dir + "/" + name);
                Files.write(root.resolve(name), content(device + ":" + dir + "/" + name));
            } else if (kind < 45 && !deletable.isEmpty()) {
                String name = pick(deletable);
                what = "delete " + name;
                deleteTree(root, name, dir, touched);
            } else if (kind < 60 && !files.isEmpty() && !free.isEmpty()) {
                String from = pick(files);
                String to = pick(free);
                what = "rename " + from + " -> " + to;
                touched.add(dir + "/" + from);
                touched.add(dir + "/" + to);
                Files.move(root.resolve(from), root.resolve(to));
            } else if (kind < 70 && !freeTop.isEmpty()) {
                String name = pick(freeTop);
                what = "mkdir " + name;
                touched.add(dir + "/" + name);
                Files.createDirectory(root.resolve(name));
            } else if (!free.isEmpty()) {
                String name = pick(free);
                what = "write " + name;
                touched.add(dir + "/" + name);
                Files.write(root.resolve(name), content(device + ":" + dir + "/" + name));
            } else {
                what = "nothing (no free name)";
            }
        } catch (IOException | UncheckedIOException e) {
            // Sync changed the directory since it was listed: the operation did not happen as planned.
            what = "failed: " + e;
        }
        log.add(device + " " + dir + ": " + what);
        return touched;
    }

    private String pick(List<String> names) {
        return names.get(random.nextInt(names.size()));
    }

    /**
     * Deletes {@code name} and everything in it, retrying while sync puts new entries into a
     * directory being emptied (a pull in progress); the names removed are added to {@code touched}.
     */
    private static void deleteTree(Path root, String name, String dir, Set<String> touched) throws IOException {
        Path top = root.resolve(name);
        for (int attempt = 0; attempt < 10 && Files.exists(top, NOFOLLOW); attempt++) {
            List<Path> entries;
            try (Stream<Path> walk = Files.walk(top)) {
                entries = walk.sorted(Comparator.reverseOrder()).toList();
            } catch (NoSuchFileException | UncheckedIOException e) {
                continue;
            }
            try {
                for (Path p : entries) {
                    touched.add(dir + "/" + root.relativize(p));
                    Files.deleteIfExists(p);
                }
            } catch (DirectoryNotEmptyException e) {
                // Something was put into it meanwhile: walk again.
            }
        }
        touched.add(dir + "/" + name);
        if (Files.exists(top, NOFOLLOW)) {
            throw new IOException("could not delete " + top + ": sync kept adding entries");
        }
    }
}
