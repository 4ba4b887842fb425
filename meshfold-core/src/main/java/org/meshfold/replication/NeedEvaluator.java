package org.meshfold.replication;

import java.util.Optional;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FileType;
import org.meshfold.index.FolderIndex;
import org.meshfold.replication.NeedAction.ConflictCopy;
import org.meshfold.replication.merge.GlobalSelector.Selection;

/**
 * Decides what one name needs: the global version G (from the local record L and all peers'
 * records) against L.
 *
 * <ul>
 *   <li>L equals or dominates G: nothing.</li>
 *   <li>Same content (G dominates, or concurrent), or G dominates and only changed permissions or
 *       mtime: the disk keeps its bytes; only the version, mtime and permissions change.</li>
 *   <li>G dominates L, or L is absent, deleted or superseded by another peer's version: apply G.</li>
 *   <li>Concurrent, L live and maximal, different content: L lost the conflict. Its content is
 *       kept as a conflict copy and G is applied with the vector merge(G, L), so the result
 *       dominates both and every losing device commits the same record.</li>
 * </ul>
 * If L is the winner of a conflict, G is L's own group and nothing happens here: the devices
 * holding the losing versions make the copies.
 */
final class NeedEvaluator {
    private final FolderIndex index;

    NeedEvaluator(FolderIndex index) {
        this.index = index;
    }

    Optional<NeedAction> evaluate(String name) {
        FileRecord local = index.local(name).orElse(null);
        Optional<Selection<FileRecord>> selected =
                FileVersions.SELECTOR.select(local, index.remotes(name).values());
        if (selected.isEmpty()) {
            return Optional.empty();
        }
        Selection<FileRecord> sel = selected.get();
        FileRecord global = sel.winner().withVersion(sel.vector());
        if (local == null) {
            return Optional.of(apply(null, global));
        }
        return switch (local.version().compare(global.version())) {
            case EQUAL, AFTER -> Optional.empty();
            case BEFORE -> Optional.of(local.sameContent(global) || FileVersions.sameBytes(local, global)
                    ? new NeedAction.UpdateMeta(local, global) : apply(local, global));
            case CONCURRENT -> Optional.of(concurrent(local, global, sel.localMaximal()));
        };
    }

    private NeedAction concurrent(FileRecord local, FileRecord global, boolean localMaximal) {
        FileRecord merged = global.withVersion(global.version().merge(local.version()));
        if (local.sameContent(global)) {
            return new NeedAction.UpdateMeta(local, merged);
        }
        if (local.deleted() || !localMaximal) {
            // A deletion loses to the edit; a version another peer superseded needs no copy.
            return apply(local, global);
        }
        ConflictCopy copy = chooseCopy(local);
        return global.type() == FileType.DIRECTORY
                ? new NeedAction.MakeDir(local, merged, copy)
                : new NeedAction.Pull(local, merged, copy);
    }

    private static NeedAction apply(FileRecord local, FileRecord global) {
        if (global.deleted()) {
            return new NeedAction.Delete(local, global);
        }
        return global.type() == FileType.DIRECTORY
                ? new NeedAction.MakeDir(local, global, null)
                : new NeedAction.Pull(local, global, null);
    }

    /**
     * The first conflict copy name that no known version uses for other content: the copy's record
     * will dominate every known version of that name, so it must not replace someone's file.
     */
    private ConflictCopy chooseCopy(FileRecord loser) {
        for (int attempt = 1; ; attempt++) {
            String name = ConflictNames.copyName(loser.name(), loser.hlc(), loser.modifiedBy(), attempt);
            Optional<FileRecord> existing = index.local(name);
            boolean free = existing.map(r -> r.deleted() || r.sameContent(loser)).orElse(true)
                    && index.remotes(name).values().stream().allMatch(r -> r.deleted() || r.sameContent(loser));
            if (free) {
                return new ConflictCopy(name, existing.isPresent() && !existing.get().deleted());
            }
        }
    }
}
