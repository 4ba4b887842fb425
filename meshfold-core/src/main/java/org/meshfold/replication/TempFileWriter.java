package org.meshfold.replication;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.meshfold.fs.PathNames;
import org.meshfold.index.Block;
import org.meshfold.index.BlockHash;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FileType;
import org.meshfold.index.FolderIndex;

/**
 * Fills the temp file of a {@link PullJob}; runs on the I/O executor.
 *
 * <p>Before anything is downloaded: blocks already present at the right place in a temp file left
 * by an interrupted pull are verified and kept (partial resume), then blocks that the file now at
 * the name holds are copied from it, then blocks that exist anywhere else in the local folder
 * (block index). Every copied block is verified against its SHA-256 first. Only the rest is
 * fetched from peers, and each fetched block is verified before it is written.
 */
final class TempFileWriter {
    private final Path root;
    private final FolderIndex index;
    private final SyncCounters counters;
    private final Executor io;
    private final int helpers;

    /**
     * @param io      where copies of many blocks get help from other threads ({@code helpers} at most);
     *                may be the executor this writer runs on
     */
    TempFileWriter(Path root, FolderIndex index, SyncCounters counters, Executor io, int helpers) {
        this.root = root;
        this.index = index;
        this.counters = counters;
        this.io = io;
        this.helpers = helpers;
    }

    /** Opens (or creates) the job's temp file and returns the blocks that must still be fetched. */
    List<Block> prepare(PullJob job) throws IOException {
        FileRecord g = job.global();
        DiskState.createParents(root, job.temp);
        if (g.type() == FileType.SYMLINK) {
            Files.deleteIfExists(job.temp);
            Files.createSymbolicLink(job.temp, Path.of(g.symlinkTarget()));
            return List.of();
        }
        FileChannel ch = open(job.temp);
        job.channel = ch;
        long existing = ch.size();
        List<Block> missing = new ArrayList<>();
        long kept = 0;
        for (Block b : g.blocks()) {
            if (b.offset() + b.size() <= existing
                    && BlockIo.verify(BlockIo.read(ch, b.offset(), b.size()), b)) {
                kept += b.size();
            } else {
                missing.add(b);
            }
        }
        if (kept > 0) {
            counters.bytesReusedFromTemp.addAndGet(kept);
            counters.filesResumed.incrementAndGet();
        }
        copyFromCurrentFile(job, ch, missing);
        copyLocalBlocks(ch, missing);
        return missing;
    }

    /** Verifies {@code data} against {@code block} and writes it; false if the hash or size is wrong. */
    boolean writeVerified(PullJob job, Block block, byte[] data) throws IOException {
        if (!BlockIo.verify(data, block)) {
            return false;
        }
        FileChannel ch = job.channel;
        if (ch == null) {
            throw new IOException("temp file of '" + job.name() + "' is closed");
        }
        BlockIo.write(ch, data, block.offset());
        return true;
    }

    /**
     * Copies the blocks that the file now at the name already holds, found through its local
     * record rather than one index lookup per block, reading and verifying them on several
     * threads: an edit of a large file keeps almost all of its blocks, and this copy is most of
     * the work of syncing it.
     */
    private void copyFromCurrentFile(PullJob job, FileChannel out, List<Block> missing) throws IOException {
        FileRecord current = job.action.local();
        if (current == null || current.deleted() || current.type() != FileType.FILE || missing.isEmpty()) {
            return;
        }
        Map<BlockHash, Block> held = new HashMap<>();
        current.blocks().forEach(b -> held.putIfAbsent(b.hash(), b));
        List<Block> wanted = new ArrayList<>();
        List<Block> sources = new ArrayList<>();
        for (Block b : missing) {
            Block source = held.get(b.hash());
            if (source != null && source.size() == b.size()) {
                wanted.add(b);
                sources.add(source);
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        boolean[] copied;
        try (FileChannel in = FileChannel.open(job.target, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            copied = SharedWork.run(wanted.size(), helpers, io, i -> {
                byte[] data = BlockIo.read(in, sources.get(i).offset(), sources.get(i).size());
                if (!BlockIo.verify(data, wanted.get(i))) {
                    return false; // changed since it was scanned: fetched instead
                }
                BlockIo.write(out, data, wanted.get(i).offset());
                return true;
            });
        } catch (NoSuchFileException e) {
            return; // gone meanwhile: the rest of the folder or the peers have the blocks
        }
        Set<Block> done = new HashSet<>();
        long bytes = 0;
        for (int i = 0; i < copied.length; i++) {
            if (copied[i]) {
                done.add(wanted.get(i));
                bytes += wanted.get(i).size();
            }
        }
        missing.removeIf(done::contains);
        counters.bytesReusedLocal.addAndGet(bytes);
    }

    private void copyLocalBlocks(FileChannel out, List<Block> missing) throws IOException {
        Map<String, FileChannel> sources = new HashMap<>();
        try {
            for (Iterator<Block> it = missing.iterator(); it.hasNext(); ) {
                Block b = it.next();
                for (FolderIndex.BlockLocation loc : index.findBlock(b.hash())) {
                    byte[] data = readLocal(sources, loc);
                    if (loc.size() == b.size() && BlockIo.verify(data, b)) {
                        BlockIo.write(out, data, b.offset());
                        counters.bytesReusedLocal.addAndGet(b.size());
                        it.remove();
                        break;
                    }
                }
            }
        } finally {
            for (FileChannel ch : sources.values()) {
                if (ch != null) {
                    ch.close();
                }
            }
        }
    }

    /** Reads a block from a local file; null if the file is gone or shorter (the hash check then fails). */
    private byte[] readLocal(Map<String, FileChannel> sources, FolderIndex.BlockLocation loc) {
        try {
            FileChannel ch = sources.computeIfAbsent(loc.name(), n -> {
                try {
                    return FileChannel.open(PathNames.resolve(root, n), StandardOpenOption.READ,
                            LinkOption.NOFOLLOW_LINKS);
                } catch (IOException e) {
                    return null;
                }
            });
            return ch == null ? null : BlockIo.read(ch, loc.offset(), loc.size());
        } catch (IOException e) {
            return null;
        }
    }

    /** Opens a temp file for reading and writing; one that cannot be opened (left read-only, a link) is replaced. */
    private static FileChannel open(Path temp) throws IOException {
        try {
            return FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            return FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        }
    }
}
