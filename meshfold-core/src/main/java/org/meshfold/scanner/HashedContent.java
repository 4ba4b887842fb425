package org.meshfold.scanner;

import java.util.List;
import org.meshfold.index.Block;
import org.meshfold.index.BlockHash;

/**
 * The content of a file as read once: its length, its chunks with their SHA-256, and the hash
 * over the block hashes ({@link org.meshfold.index.FileRecord#hashOf}).
 */
public record HashedContent(long size, List<Block> blocks, BlockHash blocksHash) {
    public HashedContent {
        blocks = List.copyOf(blocks);
    }
}
