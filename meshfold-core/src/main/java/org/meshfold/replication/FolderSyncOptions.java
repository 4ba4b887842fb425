package org.meshfold.replication;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.meshfold.identity.DeviceId;

/**
 * What a {@link FolderSync} needs to know about its folder and this device.
 *
 * @param folderId    folder id shared by all members
 * @param label       human-readable label announced to peers
 * @param root        the folder's directory on this device
 * @param selfShortId this device's short id ({@link DeviceId#shortId()}), used in version vectors
 * @param self        this device's id
 * @param tuning      transfer and batching limits
 */
public record FolderSyncOptions(String folderId, String label, Path root, long selfShortId, DeviceId self,
                                Tuning tuning) {
    public FolderSyncOptions {
        Objects.requireNonNull(folderId, "folderId");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(tuning, "tuning");
        label = label == null ? folderId : label;
        root = root.toAbsolutePath().normalize();
    }

    /** Options with default tuning. */
    public static FolderSyncOptions of(String folderId, String label, Path root, DeviceId self) {
        return new FolderSyncOptions(folderId, label, root, self.shortId(), self, Tuning.DEFAULT);
    }

    public FolderSyncOptions withTuning(Tuning t) {
        return new FolderSyncOptions(folderId, label, root, selfShortId, self, t);
    }

    /**
     * @param peerBudgetBytes  bytes of block requests in flight per peer
     * @param maxActivePulls   files being pulled at the same time
     * @param smallFileBytes   files up to this size are finished in batches
     * @param batchMaxFiles    at most this many files per finishing batch
     * @param batchMaxDelay    a batch is finished at the latest this long after its first file
     * @param retryDelay       names skipped (changed locally, I/O error) are evaluated again after this
     * @param indexPageRecords records per index message
     */
    public record Tuning(long peerBudgetBytes, int maxActivePulls, long smallFileBytes, int batchMaxFiles,
                         Duration batchMaxDelay, Duration retryDelay, int indexPageRecords) {
        public static final Tuning DEFAULT = new Tuning(4L << 20, 32, 1L << 20, 1000,
                Duration.ofMillis(100), Duration.ofSeconds(10), 1000);

        public Tuning {
            if (peerBudgetBytes <= 0 || maxActivePulls <= 0 || batchMaxFiles <= 0 || indexPageRecords <= 0) {
                throw new IllegalArgumentException("tuning limits must be positive");
            }
        }

        public Tuning withRetryDelay(Duration d) {
            return new Tuning(peerBudgetBytes, maxActivePulls, smallFileBytes, batchMaxFiles, batchMaxDelay, d,
                    indexPageRecords);
        }

        public Tuning withPeerBudgetBytes(long bytes) {
            return new Tuning(bytes, maxActivePulls, smallFileBytes, batchMaxFiles, batchMaxDelay, retryDelay,
                    indexPageRecords);
        }
    }
}
