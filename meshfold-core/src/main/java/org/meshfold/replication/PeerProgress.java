package org.meshfold.replication;

import org.meshfold.identity.DeviceId;

/**
 * How a connected peer's copy of a folder compares with this device's, as far as this device
 * knows from the peer's announcements.
 *
 * @param device        the peer
 * @param indexReceived this device has stored the peer's index up to the highest sequence the
 *                      peer announced when it connected
 * @param differences   names on which the peer's announced records and this device's records
 *                      disagree (see {@link org.meshfold.index.FolderIndex#countDifferences})
 */
public record PeerProgress(DeviceId device, boolean indexReceived, long differences) {

    /** True if the peer has announced exactly the versions this device holds: both have the same tree. */
    public boolean inSync() {
        return indexReceived && differences == 0;
    }
}
