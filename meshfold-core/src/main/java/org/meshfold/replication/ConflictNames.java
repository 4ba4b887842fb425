package org.meshfold.replication;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.meshfold.clock.Hlc;
import org.meshfold.clock.VersionVector;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FolderIndex;

/**
 * Names of conflict copies: {@code name.sync-conflict-YYYYMMDD-HHMMSS-<device>.ext}, where the
 * time is the losing version's HLC time in UTC and {@code <device>} the first seven characters
 * of the id of the device that made it (the first group of its DeviceId text). Every device
 * holding the same losing version derives the same name.
 */
final class ConflictNames {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private ConflictNames() {
    }

    /**
     * The conflict copy name for a version of {@code name}; {@code attempt} 1 is the plain name,
     * higher attempts add {@code -N} for the rare case where that name is taken by other content.
     */
    static String copyName(String name, Hlc hlc, long device, int attempt) {
        int slash = name.lastIndexOf('/');
        int dot = name.lastIndexOf('.');
        boolean hasExt = dot > slash + 1;
        String stem = hasExt ? name.substring(0, dot) : name;
        String ext = hasExt ? name.substring(dot) : "";
        String suffix = attempt > 1 ? "-" + attempt : "";
        return stem + ".sync-conflict-" + TIME.format(Instant.ofEpochMilli(hlc.physicalMillis())) + "-"
                + deviceText(device) + suffix + ext;
    }

    /** First seven base32 characters of the device's short id as 8 big-endian bytes. */
    static String deviceText(long device) {
        StringBuilder sb = new StringBuilder(7);
        for (int i = 0; i < 7; i++) {
            sb.append(ALPHABET.charAt((int) ((device >>> (59 - 5 * i)) & 31)));
        }
        return sb.toString();
    }

    /**
     * The local record of a new conflict copy holding {@code loser}'s content. Its vector
     * dominates every version of the copy name known here, so an old tombstone of that name
     * cannot delete the copy; devices that make the same copy concurrently produce records with
     * the same content, which merge without conflict.
     */
    static FileRecord copyRecord(FolderIndex index, FileRecord loser, String copyName, Hlc now, long self) {
        VersionVector base = index.local(copyName).map(FileRecord::version).orElse(VersionVector.EMPTY);
        for (FileRecord r : index.remotes(copyName).values()) {
            base = base.merge(r.version());
        }
        return new FileRecord(copyName, loser.type(), loser.size(), loser.permissions(), loser.mtimeNanos(),
                loser.blocks(), loser.blocksHash(), loser.symlinkTarget(), false, base.bump(self, now), now, self, 0);
    }
}
