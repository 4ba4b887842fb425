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
import org.meshfold.index.BlockHash;
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

    /**
     * The block index lists every local, non-deleted file holding the hash, so one indexed lookup
     * replaces loading and decoding the named file's whole block list for every request (which
     * made serving a large file quadratic). Each file is listed at the hash's first offset in it:
     * the same bytes as any later occurrence.
     */
    private List<FolderIndex.BlockLocation> locations(BlockRequest request) {
        List<FolderIndex.BlockLocation> out = new ArrayList<>();
        for (FolderIndex.BlockLocation loc : index.findBlock(request.hash())) {
            if (loc.size() != request.size()) {
                continue;
            }
            if (loc.name().equals(request.name())) {
                out.addFirst(loc);
            } else {
                out.add(loc);
            }
        }
        return out;
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
