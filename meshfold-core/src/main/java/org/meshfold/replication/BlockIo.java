package org.meshfold.replication;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.meshfold.index.Block;
import org.meshfold.index.BlockHash;

/** Positional block reads and writes, and the SHA-256 check every block passes before it is used. */
final class BlockIo {
    private BlockIo() {
    }

    /** Reads exactly {@code size} bytes at {@code offset}, or returns null if the file is shorter. */
    static byte[] read(Path file, long offset, int size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch, offset, size);
        }
    }

    static byte[] read(FileChannel ch, long offset, int size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(size);
        while (buf.hasRemaining()) {
            if (ch.read(buf, offset + buf.position()) < 0) {
                return null;
            }
        }
        return buf.array();
    }

    /** Writes all of {@code data} at {@code offset}; positional writes may run on several threads at once. */
    static void write(FileChannel ch, byte[] data, long offset) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(data);
        while (buf.hasRemaining()) {
            ch.write(buf, offset + buf.position());
        }
    }

    /** True if {@code data} is exactly {@code block}: its size and its SHA-256. */
    static boolean verify(byte[] data, Block block) {
        return data != null && data.length == block.size()
                && BlockHash.sha256(data, 0, data.length).equals(block.hash());
    }
}
