package org.meshfold.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Two daemons of one sync tool, a sender and a receiver sharing one folder, each with a fresh
 * home, as separate processes on loopback. Only the receiver dials, and it dials the
 * {@link CountingRelay}, which forwards to the sender: every byte between them passes the relay.
 */
interface SyncPair extends AutoCloseable {
    /** Peak resident memory of each daemon over its whole run, in bytes. */
    record PeakRss(long senderBytes, long receiverBytes) {
    }

    Path senderFolder();

    Path receiverFolder();

    CountingRelay relay();

    /**
     * Starts the sender, waits until it accepts connections, then starts the receiver, whose first
     * dial then connects: figures do not depend on a start-up race or on the receiver's redial delay.
     */
    void start(Duration timeout) throws IOException, InterruptedException, TimeoutException;

    /** Fails with the end of a daemon's output if it has exited. */
    void checkAlive() throws IOException;

    /** Reads both daemons' peak RSS, then stops them. */
    PeakRss stop() throws IOException, InterruptedException;

    /**
     * True for a folder-relative path ('/'-separated) that the tool keeps in a synced folder
     * besides the user's files: in-progress downloads, folder markers. Such paths are neither
     * expected nor compared.
     */
    boolean isToolFile(String relativePath);

    /** The sender's first full scan as the tool reports it, if it reports one. */
    default Optional<ScanLog.Scan> senderFullScan(Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        return Optional.empty();
    }

    /** The sender's first scan of changed names that the tool reports (a large file edited), if it reports one. */
    default Optional<ScanLog.Scan> senderChangeScan(Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        return Optional.empty();
    }

    @Override
    void close() throws IOException, InterruptedException;
}
