package org.meshfold.scanner;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.meshfold.index.Block;
import org.meshfold.index.BlockHash;
import org.meshfold.index.FileRecord;

/**
 * Reads a file once, cuts it into content-defined chunks ({@link Chunker}) and SHA-256-hashes
 * every chunk.
 *
 * <p>Threads: {@link #hashAsync} runs each file on the injected executor, so several files are
 * hashed in parallel. A file larger than one 4 MiB read buffer is pipelined: the thread reading
 * it finds chunk boundaries while the chunks of earlier buffers are hashed by tasks on the same
 * executor. The reading thread never waits for a queued task: when it runs out of buffers it
 * hashes queued windows itself, so a fully busy executor cannot deadlock. Chunks are hashed
 * with {@link BlockHash#sha256}, which keeps one digest per thread.
 */
public final class FileHasher {
    private final Executor executor;

    public FileHasher(Executor executor) {
        this.executor = executor;
    }

    /** Hashes {@code file} on the executor; fails with the {@link IOException} if it cannot be read. */
    public CompletableFuture<HashedContent> hashAsync(Path file) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return hash(file);
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        }, executor);
    }

    /**
     * Hashes {@code file} on the calling thread (helped by the executor for large files). A
     * symbolic link is not followed: opening one fails.
     */
    public HashedContent hash(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return hash(ch, ch.size());
        }
    }

    /** Hashes everything {@code in} yields; {@code sizeHint} only sizes the first buffer. */
    HashedContent hash(ReadableByteChannel in, long sizeHint) throws IOException {
        ChunkStream stream = new ChunkStream(in);
        byte[] first = new byte[(int) Math.min(ChunkStream.BUFFER_SIZE, Math.max(1, sizeHint + 1))];
        ChunkStream.Window w = stream.next(first);
        List<Block> blocks;
        long size;
        if (w.last()) {
            blocks = new ArrayList<>(w.count());
            hashWindow(w, blocks);
            size = w.offset() + w.end();
        } else {
            HashPipeline pipeline = new HashPipeline(stream, executor);
            blocks = pipeline.run(w);
            size = pipeline.bytesRead();
        }
        return new HashedContent(size, blocks, FileRecord.hashOf(blocks));
    }

    /** Appends a block for every chunk of {@code w}, hashed on the calling thread. */
    static void hashWindow(ChunkStream.Window w, List<Block> out) {
        byte[] buf = w.buffer();
        for (int i = 0; i < w.count(); i++) {
            int start = w.start(i);
            int length = w.length(i);
            out.add(new Block(w.offset() + start, length, BlockHash.sha256(buf, start, length)));
        }
    }
}
