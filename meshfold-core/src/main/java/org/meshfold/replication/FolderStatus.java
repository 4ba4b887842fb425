package org.meshfold.replication;

import java.time.Instant;

/**
 * A snapshot of one folder's synchronization state.
 *
 * @param folderId            folder id
 * @param connectedPeers      peers sharing this folder that are connected now
 * @param queuedNames         names that need work and have not started
 * @param activePulls         files being prepared, transferred or finished
 * @param waitingNames        names whose content no connected peer can provide now
 * @param deferredNames       names skipped for now (changed locally, or an I/O error); retried later
 * @param pendingEvents       events queued for the folder loop
 * @param bytesDownloaded     verified block bytes received from peers
 * @param bytesServed         block bytes sent to peers
 * @param bytesReusedFromTemp bytes kept from partial temp files
 * @param filesResumed        pulls that continued from verified blocks of an earlier, interrupted attempt
 * @param bytesReusedLocal    bytes copied from local files instead of downloaded
 * @param filesPulled         files and symlinks pulled and put in place
 * @param conflictsCreated    conflict copies made on this device
 * @param lastPulled          when pulled content was last put in place, or null if never
 * @param needBytes           total size of the files queued or being pulled (whole files)
 */
public record FolderStatus(String folderId, int connectedPeers, int queuedNames, int activePulls, int waitingNames,
                           int deferredNames, int pendingEvents, long bytesDownloaded, long bytesServed,
                           long bytesReusedFromTemp, long filesResumed, long bytesReusedLocal, long filesPulled, long conflictsCreated,
                           Instant lastPulled, long needBytes) {

    /** True if nothing is needed from the connected peers: no name is queued, in progress, waiting or deferred. */
    public boolean inSync() {
        return queuedNames == 0 && activePulls == 0 && waitingNames == 0 && deferredNames == 0 && pendingEvents == 0;
    }

    /** True if the folder does no work right now (names may still wait for a peer or a retry). */
    public boolean idle() {
        return queuedNames == 0 && activePulls == 0 && pendingEvents == 0;
    }
}
