package org.meshfold.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a folder holds, for comparing devices: every entry (temp files and the ignore file
 * excluded) with type, permissions, content SHA-256 or link target, and file mtime.
 */
record TreeSnapshot(Map<String, String> entries) {

    static TreeSnapshot of(Path root) {
        return of(root, true);
    }

    static TreeSnapshot of(Path root, boolean withMtime) {
        Map<String, String> out = new TreeMap<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (!dir.equals(root)) {
                        out.put(rel(dir), "dir " + perms(dir));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String name = file.getFileName().toString();
                    if (name.startsWith(".meshfold-tmp-") || name.equals(".meshfoldignore")) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (attrs.isSymbolicLink()) {
                        out.put(rel(file), "link " + Files.readSymbolicLink(file));
                    } else {
                        String mtime = withMtime ? " " + attrs.lastModifiedTime().toInstant() : "";
                        out.put(rel(file), "file " + perms(file) + " " + sha256(file) + mtime);
                    }
                    return FileVisitResult.CONTINUE;
                }

                private String rel(Path p) {
                    return root.relativize(p).toString();
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TreeSnapshot(out);
    }

    static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** First difference between two snapshots, for assertion messages. */
    String diff(TreeSnapshot other) {
        for (var e : entries.entrySet()) {
            String o = other.entries.get(e.getKey());
            if (!e.getValue().equals(o)) {
                return e.getKey() + ": " + e.getValue() + " vs " + o;
            }
        }
        for (String k : other.entries.keySet()) {
            if (!entries.containsKey(k)) {
                return k + ": missing vs " + other.entries.get(k);
            }
        }
        return "none";
    }
}
