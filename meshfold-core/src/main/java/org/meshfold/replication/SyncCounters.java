package org.meshfold.replication;

import java.util.concurrent.atomic.AtomicLong;

/** Transfer counters of one folder; updated from the folder loop and the I/O executor. */
final class SyncCounters {
    final AtomicLong bytesDownloaded = new AtomicLong();
    final AtomicLong bytesServed = new AtomicLong();
    final AtomicLong bytesReusedFromTemp = new AtomicLong();
    final AtomicLong filesResumed = new AtomicLong();
    final AtomicLong bytesReusedLocal = new AtomicLong();
    final AtomicLong filesPulled = new AtomicLong();
    final AtomicLong conflictsCreated = new AtomicLong();
    /** Wall-clock millis of the last commit of pulled content; 0 if none yet. */
    final AtomicLong lastPulledMillis = new AtomicLong();
}
