package org.meshfold.protocol.codec;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.meshfold.index.Block;
import org.meshfold.index.BlockHash;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FileType;

/**
 * The block lists of large files last sent (or, on the other end, received) on one connection,
 * so that the next record of the same name can carry only the blocks that changed
 * ({@link BlockListDelta}). An insert into a 1 GiB file changes a handful of its 16,384 blocks;
 * without this, the whole list (about 700 KiB) crosses the wire again.
 *
 * <p>Design note: both ends update their memory from the same records in the same order (TCP and
 * a QUIC stream deliver in order) and with the same bound, so the receiver always holds exactly
 * the list the sender made a change against; nothing is negotiated or acknowledged, and a
 * reconnection starts both memories empty. Lists of fewer than {@value #MIN_BLOCKS} blocks are
 * not remembered (a change would save little); when more than {@value #MAX_BLOCKS} blocks are
 * remembered, the oldest lists are forgotten first. Confined to the channel's event loop.
 */
final class BlockListMemory {
    static final int MIN_BLOCKS = 64;
    static final int MAX_BLOCKS = 1 << 17;

    /** A remembered list and the hash that identifies it. */
    record Entry(BlockHash blocksHash, List<Block> blocks) {
    }

    private record Key(String folder, String name) {
    }

    private final Map<Key, Entry> entries = new LinkedHashMap<>();
    private long blocks;

    /** The list last sent or received for {@code name}, or null. */
    Entry get(String folder, String name) {
        return entries.get(new Key(folder, name));
    }

    /** {@code record} was sent or received (with its full block list): it is the one to change next. */
    void remember(String folder, FileRecord record) {
        Key key = new Key(folder, record.name());
        Entry old = entries.remove(key);
        if (old != null) {
            blocks -= old.blocks().size();
        }
        int count = record.blocks().size();
        if (record.deleted() || record.type() != FileType.FILE || count < MIN_BLOCKS || count > MAX_BLOCKS) {
            return;
        }
        entries.put(key, new Entry(record.blocksHash(), record.blocks()));
        blocks += count;
        for (Iterator<Entry> oldest = entries.values().iterator(); blocks > MAX_BLOCKS; ) {
            blocks -= oldest.next().blocks().size();
            oldest.remove();
        }
    }

    /** Blocks remembered in all lists. */
    long blocks() {
        return blocks;
    }
}
