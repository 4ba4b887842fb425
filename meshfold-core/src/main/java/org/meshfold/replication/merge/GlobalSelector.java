package org.meshfold.replication.merge;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.meshfold.clock.VersionVector;

/**
 * Chooses the global version of one key from the local record and every peer's record.
 *
 * <p>Design: only maximal versions (not dominated by any other candidate) can win. Maximal
 * versions with the same content are not in conflict: they form one group whose vector is the
 * merge of theirs, represented by the group's best member. If more than one group remains, the
 * versions are in conflict and {@link MergeRules#winnerOrder} picks the winning group. Every
 * device that knows the same candidates computes the same selection.
 *
 * @param <R> the record type
 */
public final class GlobalSelector<R> {
    private final Function<R, Version> versionOf;
    private final BiPredicate<R, R> sameContent;
    private final Comparator<R> order;

    /**
     * @param versionOf   extracts a record's version
     * @param sameContent true if two records hold the same content (an equivalence relation)
     * @param preference  record-specific order applied after live-before-deleted (greater wins)
     */
    public GlobalSelector(Function<R, Version> versionOf, BiPredicate<R, R> sameContent, Comparator<R> preference) {
        this.versionOf = Objects.requireNonNull(versionOf);
        this.sameContent = Objects.requireNonNull(sameContent);
        this.order = MergeRules.winnerOrder(versionOf, preference);
    }

    /**
     * The selection among {@code local} (may be null) and {@code remotes}; empty if there are no
     * candidates at all.
     */
    public Optional<Selection<R>> select(R local, Collection<R> remotes) {
        List<R> all = new ArrayList<>(remotes.size() + 1);
        if (local != null) {
            all.add(local);
        }
        all.addAll(remotes);
        if (all.isEmpty()) {
            return Optional.empty();
        }
        List<R> maximal = maximal(all);
        List<List<R>> groups = new ArrayList<>();
        for (R r : maximal) {
            groups.stream().filter(g -> sameContent.test(g.get(0), r)).findFirst()
                    .ifPresentOrElse(g -> g.add(r), () -> groups.add(new ArrayList<>(List.of(r))));
        }
        List<R> best = groups.stream().map(g -> g.stream().max(order).orElseThrow()).toList();
        R winner = best.stream().max(order).orElseThrow();
        VersionVector vector = VersionVector.EMPTY;
        for (R r : groups.get(best.indexOf(winner))) {
            vector = vector.merge(versionOf.apply(r).vector());
        }
        boolean localMaximal = local != null && maximal.contains(local);
        return Optional.of(new Selection<>(winner, vector, groups.size() > 1, localMaximal));
    }

    private List<R> maximal(List<R> all) {
        List<R> out = new ArrayList<>();
        for (R candidate : all) {
            VersionVector v = versionOf.apply(candidate).vector();
            boolean dominated = all.stream().anyMatch(o -> versionOf.apply(o).vector().dominates(v));
            boolean duplicate = out.stream().anyMatch(o -> versionOf.apply(o).vector().equals(v));
            if (!dominated && !duplicate) {
                out.add(candidate);
            }
        }
        return out;
    }

    /**
     * The outcome of a selection.
     *
     * @param winner       the best record of the winning group
     * @param vector       the merged vector of the winning group (dominates or equals the winner's)
     * @param conflict     true if concurrent versions with different content exist
     * @param localMaximal true if the local record is among the maximal versions (not superseded)
     */
    public record Selection<R>(R winner, VersionVector vector, boolean conflict, boolean localMaximal) {
    }
}
