-- The index of every folder on this device. Names are UTF-8 text; "device" is 0 for this
-- device's own records, otherwise the announcing peer's short id.

CREATE TABLE folders (
    idx          INTEGER PRIMARY KEY,
    id           TEXT    NOT NULL UNIQUE CHECK (id <> ''),
    epoch        INTEGER NOT NULL CHECK (epoch > 0),
    max_sequence INTEGER NOT NULL DEFAULT 0 CHECK (max_sequence >= 0)
);

CREATE TABLE files (
    id             INTEGER PRIMARY KEY,
    folder         INTEGER NOT NULL REFERENCES folders (idx) ON DELETE CASCADE,
    device         INTEGER NOT NULL,
    name           TEXT    NOT NULL CHECK (name <> ''),
    sequence       INTEGER NOT NULL CHECK (sequence >= 0),
    type           INTEGER NOT NULL CHECK (type IN (0, 1, 2)),
    size           INTEGER NOT NULL CHECK (size >= 0),
    permissions    INTEGER NOT NULL,
    mtime_nanos    INTEGER NOT NULL,
    deleted        INTEGER NOT NULL CHECK (deleted IN (0, 1)),
    version        BLOB    NOT NULL,
    hlc_physical   INTEGER NOT NULL,
    hlc_logical    INTEGER NOT NULL,
    modified_by    INTEGER NOT NULL,
    blocks_hash    BLOB    NOT NULL CHECK (length(blocks_hash) = 32),
    blocks         BLOB    NOT NULL,
    symlink_target TEXT    NOT NULL,
    UNIQUE (folder, device, name)
);

CREATE INDEX files_by_sequence ON files (folder, device, sequence);
CREATE INDEX files_by_name ON files (folder, name);

-- Where each block of a local, non-deleted file can be read: one row per (block hash, file),
-- at the block's first offset in that file.
CREATE TABLE block_index (
    hash        BLOB    NOT NULL,
    file        INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    file_offset INTEGER NOT NULL,
    size        INTEGER NOT NULL,
    UNIQUE (hash, file)
);

CREATE INDEX block_index_by_file ON block_index (file);

-- How far this device has read each peer's index of a folder.
CREATE TABLE cursors (
    folder   INTEGER NOT NULL REFERENCES folders (idx) ON DELETE CASCADE,
    device   INTEGER NOT NULL CHECK (device <> 0),
    epoch    INTEGER NOT NULL,
    sequence INTEGER NOT NULL,
    PRIMARY KEY (folder, device)
) WITHOUT ROWID;
