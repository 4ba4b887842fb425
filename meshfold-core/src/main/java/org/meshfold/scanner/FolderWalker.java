package org.meshfold.scanner;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.meshfold.fs.InvalidNameException;
import org.meshfold.fs.PathNames;
import org.meshfold.index.FileType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the entries of a folder on disk and gives them their folder names: '/'-separated,
 * Unicode NFC, valid per {@link PathNames#validate}, not ignored. Never follows a symbolic link:
 * a link is an entry of its own, and a name whose parent is a link does not exist.
 *
 * <p>Entries that cannot be named are skipped with a warning (a name that is not UTF-8, an
 * invalid name, two names equal after NFC). Entries that cannot be read are reported as
 * unreadable so the caller leaves what the index says about them alone.
 */
final class FolderWalker {
    private static final Logger log = LoggerFactory.getLogger(FolderWalker.class);

    private final IgnoreMatcher ignores;

    FolderWalker(IgnoreMatcher ignores) {
        this.ignores = ignores;
    }

    /** An entry found on disk under its folder name. */
    record Entry(String name, Path path, FileStat stat) {
    }

    /** Receives what a walk finds; called on the walking thread. */
    interface Visitor {
        void entry(Entry entry);

        /** {@code name} (and anything inside it) exists but could not be read. */
        void unreadable(String name);

        /** A temp file of a download of {@code name} exists (a pull running, or left by an earlier one). */
        default void tempFile(String name) {
        }
    }

    /** Reports everything below the directory {@code dir} named {@code dirName} ("" for the root). */
    void walkChildren(String dirName, Path dir, Visitor visitor) {
        Deque<Entry> pending = new ArrayDeque<>();
        pending.push(new Entry(dirName, dir, null));
        while (!pending.isEmpty()) {
            Entry d = pending.pop();
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> listing = Files.newDirectoryStream(d.path())) {
                listing.forEach(children::add);
            } catch (IOException | DirectoryIteratorException e) {
                log.warn("Cannot list directory {}: {}; what the index says about its contents stays as it is",
                        d.path(), e.toString());
                visitor.unreadable(d.name());
                continue;
            }
            Set<String> namesHere = new HashSet<>();
            for (Path child : children) {
                Entry e = entry(d.name(), child, namesHere, visitor);
                if (e != null) {
                    visitor.entry(e);
                    if (e.stat().type() == FileType.DIRECTORY) {
                        pending.push(e);
                    }
                }
            }
        }
    }

    private Entry entry(String parentName, Path child, Set<String> namesHere, Visitor visitor) {
        String base = componentName(child);
        if (base == null) {
            return null;
        }
        String name = parentName.isEmpty() ? base : parentName + "/" + base;
        if (!namesHere.add(base)) {
            log.warn("Skipping {}: another entry in the same directory has the same name after Unicode"
                    + " normalization (NFC); rename one of them", child);
            return null;
        }
        FileStat stat;
        try {
            stat = FileStat.read(child);
        } catch (NoSuchFileException e) {
            return null; // removed since the directory was listed
        } catch (IOException e) {
            log.warn("Cannot read attributes of {}: {}; skipping it this scan", child, e.toString());
            visitor.unreadable(name);
            return null;
        }
        if (stat == null) {
            log.debug("Skipping {}: not a regular file, directory or symbolic link", child);
            return null;
        }
        String target = PathNames.tempTarget(name);
        if (target != null && stat.type() != FileType.DIRECTORY) {
            visitor.tempFile(target);
            return null;
        }
        if (ignores.ignoredEntry(name, stat.type() == FileType.DIRECTORY) || !valid(name, child)) {
            return null;
        }
        return new Entry(name, child, stat);
    }

    /**
     * Finds the entry named {@code name} (NFC, validated) under {@code root}, component by
     * component without following links; null if it does not exist.
     *
     * @throws IOException if an existing component cannot be read
     */
    Entry locate(Path root, String name) throws IOException {
        Path current = root;
        String[] parts = name.split("/");
        FileStat stat = null;
        for (int i = 0; i < parts.length; i++) {
            if (stat != null && stat.type() != FileType.DIRECTORY) {
                return null;
            }
            Path next = current.resolve(parts[i]);
            try {
                stat = FileStat.read(next);
            } catch (NoSuchFileException e) {
                next = findDecomposed(current, parts[i]);
                stat = next == null ? null : readOrNull(next);
            }
            if (stat == null) {
                return null;
            }
            current = next;
        }
        return new Entry(name, current, stat);
    }

    /** On disk the name may be stored decomposed (e.g. NFD from macOS); find it by its NFC form. */
    private static Path findDecomposed(Path dir, String nfcComponent) throws IOException {
        if (nfcComponent.chars().allMatch(c -> c < 0x80)) {
            return null;
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                if (nfcComponent.equals(componentName(child))) {
                    return child;
                }
            }
        } catch (NoSuchFileException e) {
            return null;
        }
        return null;
    }

    private static FileStat readOrNull(Path p) throws IOException {
        try {
            return FileStat.read(p);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The NFC name of the last component of {@code p}, or null (with a warning) if it is not UTF-8. */
    private static String componentName(Path p) {
        Path fileName = p.getFileName();
        String s = fileName.toString();
        // Undecodable bytes come back as U+FFFD; re-encoding then yields a different path.
        if (s.indexOf('\uFFFD') >= 0 && !p.getFileSystem().getPath(s).equals(fileName)) {
            log.warn("Skipping {}: its name is not valid UTF-8; rename it to sync it", p);
            return null;
        }
        return Normalizer.isNormalized(s, Normalizer.Form.NFC) ? s : Normalizer.normalize(s, Normalizer.Form.NFC);
    }

    private static boolean valid(String name, Path path) {
        try {
            PathNames.validate(name);
            return true;
        } catch (InvalidNameException e) {
            log.warn("Skipping {}: {}", path, e.getMessage());
            return false;
        }
    }
}
