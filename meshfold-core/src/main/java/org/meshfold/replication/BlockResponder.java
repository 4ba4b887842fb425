package org.meshfold.replication;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.meshfold.fs.PathNames;
import org.meshfold.index.Block;
import org.meshfold.index.BlockHash;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FileType;
import org.meshfold.index.FolderIndex;

/**
 * Answers peers' block requests from local files. A block is read only from a file whose local
 * record holds it (the named file first, then any other location of the same hash), never from an
 * arbitrary path, and its SHA-256 is checked before it is served: a mismatch means the file
 * changed since the last scan, so the request fails and the scanner is asked to look again.
 * Reads run on the I/O executor. Stateless apart from its collaborators; thread-safe.
 */
final class BlockResponder {
    private final Path root;
    private final FolderIndex index;
    private final Executor io;
    private final RescanRequester rescan;
    private final SyncCounters counters;

    BlockResponder(Path root, FolderIndex index, Executor io, RescanRequester rescan, SyncCounters counters) {
        this.root = root;
        this.index = index;
        this.io = io;
        this.rescan = rescan;
        this.counters = counters;
    }

    CompletableFuture<byte[]> serve(BlockRequest request) {
        return CompletableFuture.supplyAsync(() -> read(request), io);
    }

    private byte[] read(BlockRequest request) {
        PathNames.validate(request.name());
        Set<String> changed = new LinkedHashSet<>();
        try {
            for (FolderIndex.BlockLocation loc : locations(request)) {
                Optional<byte[]> data = readVerified(loc, request.hash(), changed);
                if (data.isPresent()) {
                    counters.bytesServed.addAndGet(data.get().length);
                    return data.get();
                }
            }
        } finally {
            if (!changed.isEmpty()) {
                rescan.rescan(changed);
            }
        }
        throw new BlockUnavailableException(request, changed.isEmpty()
                ? "no local file holds it" : "local content changed since the last scan");
    }

    private List<FolderIndex.BlockLocation> locations(BlockRequest request) {
        List<FolderIndex.BlockLocation> out = new ArrayList<>();
        Optional<FileRecord> local = index.local(request.name());
        Block wanted = new Block(request.offset(), request.size(), request.hash());
        if (local.isPresent() && !local.get().deleted() && local.get().type() == FileType.FILE
                && holds(local.get().blocks(), wanted)) {
            out.add(new FolderIndex.BlockLocation(request.name(), request.offset(), request.size()));
        }
        for (FolderIndex.BlockLocation loc : index.findBlock(request.hash())) {
            if (loc.size() == request.size() && !out.contains(loc)) {
                out.add(loc);
            }
        }
        return out;
    }

    /** Binary search by offset: block lists are in file order and can be long. */
    private static boolean holds(List<Block> blocks, Block wanted) {
        int lo = 0;
        int hi = blocks.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long offset = blocks.get(mid).offset();
            if (offset < wanted.offset()) {
                lo = mid + 1;
            } else if (offset > wanted.offset()) {
                hi = mid - 1;
            } else {
                return blocks.get(mid).equals(wanted);
            }
        }
        return false;
    }

    private Optional<byte[]> readVerified(FolderIndex.BlockLocation loc, BlockHash hash, Set<String> changed) {
        try {
            byte[] data = BlockIo.read(PathNames.resolve(root, loc.name()), loc.offset(), loc.size());
            if (data != null && BlockHash.sha256(data, 0, data.length).equals(hash)) {
                return Optional.of(data);
            }
        } catch (IOException e) {
            // Gone or unreadable: the scanner will notice; try the next location.
        }
        changed.add(loc.name());
        return Optional.empty();
    }
}
