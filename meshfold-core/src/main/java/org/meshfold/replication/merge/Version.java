package org.meshfold.replication.merge;

import java.util.Objects;
import org.meshfold.clock.Hlc;
import org.meshfold.clock.VersionVector;

/**
 * The version of one record, independent of what the record holds (a file, an application
 * document): its causal history, when it was made, by which device, and whether it is a deletion.
 *
 * @param vector  causal history
 * @param hlc     hybrid logical clock time of the change
 * @param device  short id of the device that made the change
 * @param deleted true for a tombstone
 */
public record Version(VersionVector vector, Hlc hlc, long device, boolean deleted) {
    public Version {
        Objects.requireNonNull(vector, "vector");
        Objects.requireNonNull(hlc, "hlc");
    }
}
