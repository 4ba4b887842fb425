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
    private static final long MEDIUM_SEED = 0x6d656469L;
    private static final long NEW_FILE_SEED = 0x6e657766L;
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
            // On disk before the rename, as an editor saves: the sync that follows is not slowed by this write-back.
            out.force(true);
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

    /**
     * {@code files} incompressible files totalling exactly {@code totalBytes}, spread round-robin
     * over {@code dirs} directories; sizes vary uniformly from 0.1 to 1.9 times the mean, so some
     * files are a single block and others several.
     */
    static Map<String, Expected> mediumFiles(Path folder, int files, long totalBytes, int dirs) throws IOException {
        SplittableRandom random = new SplittableRandom(MEDIUM_SEED);
        double[] weights = new double[files];
        double sum = 0;
        for (int i = 0; i < files; i++) {
            weights[i] = random.nextDouble(0.1, 1.9);
            sum += weights[i];
        }
        for (int d = 0; d < dirs; d++) {
            Files.createDirectories(folder.resolve(String.format("set-%02d", d)));
        }
        Map<String, Expected> expected = new TreeMap<>();
        ByteBuffer buffer = ByteBuffer.allocate(IO_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        long left = totalBytes;
        for (int i = 0; i < files; i++) {
            long size = i == files - 1 ? left : (long) (totalBytes * weights[i] / sum);
            left -= size;
            String name = String.format("set-%02d/doc-%04d.bin", i % dirs, i);
            MessageDigest md = sha256();
            try (FileChannel ch = FileChannel.open(folder.resolve(name), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                for (long rest = size; rest > 0; ) {
                    int n = (int) Math.min(IO_BYTES, rest);
                    writeRandom(ch, md, random, buffer, n);
                    rest -= n;
                }
            }
            expected.put(name, new Expected(size, hex(md)));
        }
        return expected;
    }

    /** Name of the {@code index}-th file written by {@link #newFile}. */
    static String newFileName(int index) {
        return String.format("new-%03d.bin", index);
    }

    /**
     * Writes the {@code index}-th new file of {@code size} pseudo-random bytes at the top of
     * {@code folder} the way a program saves a new file (create, write, close), and returns what
     * the receiver must end up with.
     */
    static Expected newFile(Path folder, int index, int size) throws IOException {
        SplittableRandom random = new SplittableRandom(NEW_FILE_SEED + index);
        byte[] content = new byte[size];
        for (int b = 0; b < size; b++) {
            content[b] = (byte) random.nextInt(256);
        }
        Files.write(folder.resolve(newFileName(index)), content, StandardOpenOption.CREATE_NEW);
        return new Expected(size, hex(sha256(), content));
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

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    static String hex(MessageDigest md) {
        return HexFormat.of().formatHex(md.digest());
    }

    private static String hex(MessageDigest md, byte[] content) {
        md.update(content);
        return hex(md);
    }
}
