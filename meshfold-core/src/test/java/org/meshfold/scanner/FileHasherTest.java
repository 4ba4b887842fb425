package org.meshfold.scanner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.index.Block;
import org.meshfold.index.BlockHash;
import org.meshfold.index.FileRecord;

class FileHasherTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() throws InterruptedException {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void hash_emptyFile_hasNoBlocks() throws IOException {
        Path f = Files.write(dir.resolve("empty"), new byte[0]);
        HashedContent c = new FileHasher(executor).hash(f);
        assertThat(c.size()).isZero();
        assertThat(c.blocks()).isEmpty();
        assertThat(c.blocksHash()).isEqualTo(FileRecord.EMPTY_CONTENT);
    }

    @Test
    void hash_smallFile_isOneBlockWithItsSha256() throws IOException {
        byte[] data = ChunkerTest.random(1000, 1);
        Path f = Files.write(dir.resolve("small"), data);
        HashedContent c = new FileHasher(executor).hash(f);
        assertThat(c.size()).isEqualTo(1000);
        assertThat(c.blocks()).containsExactly(new Block(0, 1000, BlockHash.sha256(data, 0, 1000)));
        assertThat(c.blocksHash()).isEqualTo(FileRecord.hashOf(c.blocks()));
    }

    @Test
    void hash_largeFile_pipelinedBlocksEqualSequentialChunks() throws IOException {
        byte[] data = ChunkerTest.random(21 * MIB + 333, 2);
        Path f = Files.write(dir.resolve("large"), data);
        HashedContent c = new FileHasher(executor).hash(f);
        assertThat(c.size()).isEqualTo(data.length);
        assertThat(c.blocks()).isEqualTo(expectedBlocks(data));
    }

    @Test
    void hashAsync_largeFilesOnOneThread_completeWithoutDeadlock() throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            List<byte[]> contents = new ArrayList<>();
            List<CompletableFuture<HashedContent>> futures = new ArrayList<>();
            FileHasher hasher = new FileHasher(single);
            for (int i = 0; i < 3; i++) {
                byte[] data = ChunkerTest.random(18 * MIB + i, 10 + i);
                contents.add(data);
                futures.add(hasher.hashAsync(Files.write(dir.resolve("f" + i), data)));
            }
            for (int i = 0; i < 3; i++) {
                assertThat(futures.get(i).get(60, TimeUnit.SECONDS).blocks()).isEqualTo(expectedBlocks(contents.get(i)));
            }
        } finally {
            single.shutdownNow();
        }
    }

    @Test
    void hash_symlink_isNotFollowed() throws IOException {
        Path target = Files.write(dir.resolve("target"), new byte[] {1, 2, 3});
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        assertThatThrownBy(() -> new FileHasher(executor).hash(link)).isInstanceOf(IOException.class).hasMessageContaining("symbolic link");
    }

    @Test
    void hash_throughputTwoThreads_printed() throws Exception {
        Path f = Files.write(dir.resolve("bench"), ChunkerTest.random(192 * MIB, 3));
        FileHasher hasher = new FileHasher(executor);
        long bestCaller = Long.MAX_VALUE;
        long bestAsync = Long.MAX_VALUE;
        for (int round = 0; round < 4; round++) {
            long t0 = System.nanoTime();
            assertThat(hasher.hash(f).size()).isEqualTo(192L * MIB);
            long t1 = System.nanoTime();
            assertThat(hasher.hashAsync(f).get().size()).isEqualTo(192L * MIB);
            long t2 = System.nanoTime();
            bestCaller = Math.min(bestCaller, t1 - t0);
            bestAsync = Math.min(bestAsync, t2 - t1);
        }
        System.out.printf("file hasher: %.2f GB/s read on the caller, %.2f GB/s via hashAsync"
                + " (192 MiB from page cache, 2 executor threads)%n",
                192.0 * MIB / bestCaller, 192.0 * MIB / bestAsync);
    }

    private static List<Block> expectedBlocks(byte[] data) {
        return ChunkerTest.chunks(data).stream().map(ch -> new Block(ch.offset(), ch.length(), ch.hash())).toList();
    }
}
