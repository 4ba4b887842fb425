package org.meshfold.replication.merge;

/** What to do with a remote version of a record, given the local one. */
public enum Resolution {
    /** The remote version dominates the local one: replace. */
    TAKE_REMOTE,
    /** The local version dominates or equals the remote one: nothing to do. */
    KEEP_LOCAL,
    /** Neither dominates: both were changed independently. */
    CONFLICT
}
