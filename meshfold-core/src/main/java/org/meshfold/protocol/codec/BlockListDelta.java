package org.meshfold.protocol.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.meshfold.index.Block;
import org.meshfold.index.BlockHash;

/**
 * A block list written as a change to an earlier one of the same name (the base): the first
 * {@code prefix} and the last {@code suffix} blocks of the base, with {@code middle} between
 * them. Blocks are the same when their size and hash are; offsets follow from the sizes.
 */
record BlockListDelta(BlockHash base, int prefix, int suffix, List<Block> middle) {
    BlockListDelta {
        Objects.requireNonNull(base, "base");
        if (prefix < 0 || suffix < 0) {
            throw new IllegalArgumentException("negative prefix or suffix: " + prefix + ", " + suffix);
        }
        middle = List.copyOf(middle);
    }

    /** The change from {@code base} to {@code target}, if it leaves out at least half of the target's blocks. */
    static Optional<BlockListDelta> between(BlockListMemory.Entry base, List<Block> target) {
        List<Block> from = base.blocks();
        int common = Math.min(from.size(), target.size());
        int prefix = 0;
        while (prefix < common && same(from.get(prefix), target.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < common - prefix
                && same(from.get(from.size() - 1 - suffix), target.get(target.size() - 1 - suffix))) {
            suffix++;
        }
        if (2L * (prefix + suffix) < target.size()) {
            return Optional.empty();
        }
        return Optional.of(new BlockListDelta(base.blocksHash(), prefix, suffix,
                target.subList(prefix, target.size() - suffix)));
    }

    /** The full list this change makes of {@code from}, offsets counted from 0; prefix + suffix must fit in it. */
    List<Block> applyTo(List<Block> from) {
        if ((long) prefix + suffix > from.size()) {
            throw new IllegalArgumentException("keeps " + prefix + " + " + suffix + " blocks of a list of "
                    + from.size());
        }
        List<Block> out = new ArrayList<>(prefix + middle.size() + suffix);
        long offset = 0;
        offset = append(out, from.subList(0, prefix), offset);
        offset = append(out, middle, offset);
        append(out, from.subList(from.size() - suffix, from.size()), offset);
        return out;
    }

    private static long append(List<Block> out, List<Block> blocks, long offset) {
        for (Block b : blocks) {
            out.add(new Block(offset, b.size(), b.hash()));
            offset += b.size();
        }
        return offset;
    }

    private static boolean same(Block a, Block b) {
        return a.size() == b.size() && a.hash().equals(b.hash());
    }
}
