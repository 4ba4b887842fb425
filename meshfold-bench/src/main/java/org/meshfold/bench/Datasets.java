package org.meshfold.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The benchmark's data, generated from fixed seeds so every run and every machine syncs the same
 * bytes. Content is pseudo-random, hence incompressible. Each generator returns what the
 * receiver must end up with: name, size and SHA-256 of every file.
 */
final class Datasets {
    static final String LARGE_NAME = "large.bin";
    private static final long LARGE_SEED = 0x6d657368L;
    private static final long INSERT_SEED = 0x666f6c64L;
    private static final long SMALL_SEED = 0x736d616cL;
    private static final int IO_BYTES = 1 << 20;

    private Datasets() {
    }

    /** A file the receiver must have. */
    record Expected(long size, String sha256) {
    }

    /** One file of {@code size} pseudo-random bytes. */
    static Map<String, Expected> largeFile(Path folder, long size) throws IOException {
        MessageDigest md = sha256();
        SplittableRandom random = new SplittableRandom(LARGE_SEED);
        ByteBuffer buffer = ByteBuffer.allocate(IO_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(folder.resolve(LARGE_NAME), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            for (long left = size; left > 0; ) {
                int n = (int) Math.min(IO_BYTES, left);
                writeRandom(ch, md, random, buffer, n);
                left -= n;
            }
        }
        return Map.of(LARGE_NAME, new Expected(size, hex(md)));
    }

    /**
     * Replaces {@code folder/name} with a copy that has {@code length} new pseudo-random bytes
     * inserted at {@code offset}: the copy is written in {@code staging} (same file system) and
     * renamed over the original, as an editor saving the file would.
     */
    static Map<String, Expected> insert(Path folder, String name, long offset, int length, Path staging)
            throws IOException {
        MessageDigest md = sha256();
        Path original = folder.resolve(name);
        Path copy = staging.resolve(name + ".edited");
        ByteBuffer buffer = ByteBuffer.allocate(IO_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        long size;
        try (FileChannel in = FileChannel.open(original, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            copyRange(in, out, md, buffer, 0, offset);
            SplittableRandom random = new SplittableRandom(INSERT_SEED);
            for (int left = length; left > 0; ) {
                int n = Math.min(IO_BYTES, left);
                writeRandom(out, md, random, buffer, n);
                left -= n;
            }
            copyRange(in, out, md, buffer, offset, in.size() - offset);
            size = out.size();
        }
        Files.move(copy, original, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return Map.of(name, new Expected(size, hex(md)));
    }

    /** {@code files} files of 1-4 KiB (uniform), spread round-robin over {@code dirs} directories. */
    static Map<String, Expected> smallFiles(Path folder, int files, int dirs) throws IOException {
        SplittableRandom random = new SplittableRandom(SMALL_SEED);
        Map<String, Expected> expected = new TreeMap<>();
        for (int d = 0; d < dirs; d++) {
            Files.createDirectories(folder.resolve(dirName(d)));
        }
        for (int i = 0; i < files; i++) {
            String name = dirName(i % dirs) + "/" + String.format("file-%05d.bin", i);
            byte[] content = new byte[random.nextInt(1024, 4097)];
            for (int b = 0; b < content.length; b++) {
                content[b] = (byte) random.nextInt(256);
            }
            Files.write(folder.resolve(name), content, StandardOpenOption.CREATE_NEW);
            expected.put(name, new Expected(content.length, hex(sha256(), content)));
        }
        return expected;
    }

    static String sha256Of(Path file) throws IOException {
        MessageDigest md = sha256();
        ByteBuffer buffer = ByteBuffer.allocate(IO_BYTES);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buffer.clear()) >= 0) {
                md.update(buffer.flip());
            }
        }
        return hex(md);
    }

    private static String dirName(int d) {
        return String.format("dir-%03d", d);
    }

    private static void writeRandom(FileChannel out, MessageDigest md, SplittableRandom random, ByteBuffer buffer,
            int n) throws IOException {
        buffer.clear();
        while (buffer.position() + Long.BYTES <= n) {
            buffer.putLong(random.nextLong());
        }
        while (buffer.position() < n) {
            buffer.put((byte) random.nextInt(256));
        }
        buffer.flip();
        md.update(buffer.duplicate());
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    private static void copyRange(FileChannel in, FileChannel out, MessageDigest md, ByteBuffer buffer, long from,
            long length) throws IOException {
        long position = from;
        for (long left = length; left > 0; ) {
            buffer.clear().limit((int) Math.min(IO_BYTES, left));
            int n = in.read(buffer, position);
            if (n < 0) {
                throw new IOException(in + " ended early while copying at " + position);
            }
            buffer.flip();
            md.update(buffer.duplicate());
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            position += n;
            left -= n;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static String hex(MessageDigest md) {
        return HexFormat.of().formatHex(md.digest());
    }

    private static String hex(MessageDigest md, byte[] content) {
        md.update(content);
        return hex(md);
    }
}
