package org.meshfold.replication.merge;

import java.util.Comparator;
import java.util.function.Function;

/**
 * The merge rules shared by folders and application stores.
 *
 * <p>Causality decides first: a version whose vector dominates another replaces it. Only
 * concurrent versions need a winner, chosen so that every device picks the same one without
 * talking to the others: a live version beats a deletion (edit-vs-delete keeps the edit, so no
 * data is lost), then an optional record-specific preference (folders prefer a directory over a
 * file), then the higher HLC timestamp (the later change), then the higher device id.
 */
public final class MergeRules {
    private MergeRules() {
    }

    /** Compares a remote version against the local one. */
    public static Resolution resolve(Version local, Version remote) {
        return switch (local.vector().compare(remote.vector())) {
            case BEFORE -> Resolution.TAKE_REMOTE;
            case AFTER, EQUAL -> Resolution.KEEP_LOCAL;
            case CONCURRENT -> Resolution.CONFLICT;
        };
    }

    /**
     * Orders concurrent versions so that the winner is the greatest: live before deleted, then
     * higher HLC, then higher device id (compared unsigned, as the id's bytes).
     */
    public static final Comparator<Version> WINNER_ORDER = Comparator
            .comparing((Version v) -> !v.deleted())
            .thenComparing(Version::hlc)
            .thenComparing(Version::device, Long::compareUnsigned);

    /**
     * The winner order for records of type {@code R}: live before deleted, then {@code preference}
     * (greater wins), then HLC, then device id.
     */
    public static <R> Comparator<R> winnerOrder(Function<R, Version> versionOf, Comparator<R> preference) {
        Comparator<R> liveFirst = Comparator.comparing(r -> !versionOf.apply(r).deleted());
        return liveFirst.thenComparing(preference).thenComparing(versionOf, WINNER_ORDER);
    }

    /** True if {@code a} wins against the concurrent version {@code b}. */
    public static boolean beats(Version a, Version b) {
        return WINNER_ORDER.compare(a, b) > 0;
    }
}
