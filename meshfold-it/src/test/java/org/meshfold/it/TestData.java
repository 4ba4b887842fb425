package org.meshfold.it;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/** Deterministic test content: incompressible bytes from a seeded generator. */
public final class TestData {
    private TestData() {
    }

    public static byte[] bytes(long seed, int size) {
        byte[] b = new byte[size];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < size; i += 8) {
            long v = r.nextLong();
            for (int j = 0; j < 8 && i + j < size; j++) {
                b[i + j] = (byte) (v >>> (8 * j));
            }
        }
        return b;
    }

    public static void writeFile(Path file, long seed, int size) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes(seed, size));
    }

    /** Writes {@code size} random bytes in 4 MiB pieces (for files of a gigabyte). */
    public static void writeLarge(Path file, long seed, long size) throws IOException {
        Files.createDirectories(file.getParent());
        SplittableRandom r = new SplittableRandom(seed);
        ByteBuffer buf = ByteBuffer.allocate(4 << 20).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long written = 0;
            while (written < size) {
                buf.clear();
                while (buf.remaining() >= 8) {
                    buf.putLong(r.nextLong());
                }
                buf.flip();
                buf.limit((int) Math.min(buf.limit(), size - written));
                while (buf.hasRemaining()) {
                    written += ch.write(buf);
                }
            }
        }
    }

    /** Copies {@code src} to {@code dst} with {@code insert} bytes inserted at {@code offset}. */
    static void copyWithInsert(Path src, Path dst, long offset, byte[] insert) throws IOException {
        try (FileChannel in = FileChannel.open(src);
             FileChannel out = FileChannel.open(dst, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            in.transferTo(0, offset, out);
            out.write(ByteBuffer.wrap(insert), offset);
            out.position(offset + insert.length);
            long pos = offset;
            long size = in.size();
            while (pos < size) {
                pos += in.transferTo(pos, size - pos, out);
            }
        }
    }

}
