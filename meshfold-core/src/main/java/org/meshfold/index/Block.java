package org.meshfold.index;

/** One content-defined chunk of a file: where it starts, how long it is, and its SHA-256. */
public record Block(long offset, int size, BlockHash hash) {
    public Block {
        if (offset < 0 || size < 0) {
            throw new IllegalArgumentException("bad block bounds " + offset + "+" + size);
        }
    }
}
