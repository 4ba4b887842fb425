package org.meshfold.replication;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.meshfold.fs.PathNames;
import org.meshfold.index.Block;
import org.meshfold.index.FileRecord;

/**
 * One file (or symlink) being brought to its global version. Created and driven by the folder
 * loop; only {@link #channel} is touched from the I/O executor (positional writes are
 * thread-safe), and it is opened before and closed after every I/O step on it.
 */
final class PullJob {
    enum Stage { PREPARING, TRANSFERRING, FINISHING }

    /** What to install; replaced (same content) when only the version to commit changes. */
    volatile NeedAction.Pull action;
    final Path target;
    final Path temp;
    /** Blocks still to be fetched from peers, in file order. Loop-owned. */
    final ArrayDeque<Block> missing = new ArrayDeque<>();
    /** Connected peers whose announced record has this content. Loop-owned. */
    final Set<Long> sources = new HashSet<>();
    /** Peers that failed a request of this job; not asked again until they reconnect or re-announce. */
    final Set<Long> excluded = new HashSet<>();
    Stage stage = Stage.PREPARING;
    int inFlight;
    volatile boolean cancelled;
    volatile FileChannel channel;

    PullJob(NeedAction.Pull action, Path root) {
        this.action = action;
        this.target = PathNames.resolve(root, action.name());
        this.temp = tempPath(target, action.name());
    }

    String name() {
        return action.name();
    }

    FileRecord global() {
        return action.target();
    }

    /** True if the transfer can go on: blocks left and someone to ask, or answers pending. */
    boolean canProgress() {
        return inFlight > 0 || missing.isEmpty() || sources.stream().anyMatch(s -> !excluded.contains(s));
    }

    /** True if {@code other} fetches the same bytes to the same place and differs only in the record to commit. */
    boolean sameWork(NeedAction.Pull other) {
        NeedAction.Pull a = action;
        return stage != Stage.FINISHING && Objects.equals(a.local(), other.local())
                && Objects.equals(a.copy(), other.copy()) && FileVersions.sameBytes(a.target(), other.target());
    }

    boolean servableBy(long peer) {
        return !missing.isEmpty() && sources.contains(peer) && !excluded.contains(peer);
    }

    void closeChannel() {
        FileChannel ch = channel;
        channel = null;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // Closing a temp file we only wrote with positional writes; the data is verified again on resume.
            }
        }
    }

    /** The temp file that downloads of {@code name} (at {@code target}) write to. */
    static Path tempPath(Path target, String name) {
        String tempName = PathNames.tempName(name);
        return target.resolveSibling(tempName.substring(tempName.lastIndexOf('/') + 1));
    }
}
