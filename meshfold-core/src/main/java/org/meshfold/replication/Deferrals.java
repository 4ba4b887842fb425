package org.meshfold.replication;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names skipped for now: the disk differed from the local record (the scanner is asked to look
 * again, and its commit re-evaluates the name), or an I/O error occurred. All are evaluated again
 * after the retry delay, so nothing waits forever on a scan that finds nothing new. A retry that
 * fails for the same reason is not logged again. Owned by the folder loop.
 */
final class Deferrals {
    private static final Logger log = LoggerFactory.getLogger(Deferrals.class);

    private final FolderSyncOptions options;
    private final Loop loop;
    private final RescanRequester rescan;
    private final Consumer<List<String>> retry;
    private final Set<String> names = new LinkedHashSet<>();
    private final Map<String, String> reasons = new HashMap<>();
    private Future<?> timer;

    Deferrals(FolderSyncOptions options, Loop loop, RescanRequester rescan, Consumer<List<String>> retry) {
        this.options = options;
        this.loop = loop;
        this.rescan = rescan;
        this.retry = retry;
    }

    void add(String name, String why, boolean askRescan) {
        if (why.equals(reasons.put(name, why))) {
            log.debug("folder {}: still skipping '{}': {}", options.folderId(), name, why);
        } else {
            log.info("folder {}: skipping '{}' for now: {}", options.folderId(), name, why);
        }
        names.add(name);
        if (askRescan) {
            rescan.rescan(List.of(name));
        }
        if (timer == null) {
            timer = loop.schedule(this::retryNow, options.tuning().retryDelay());
        }
    }

    /** The name is being evaluated again. */
    void remove(String name) {
        names.remove(name);
    }

    /** The name was brought up to date (or needs nothing): forget why it was skipped. */
    void resolved(String name) {
        reasons.remove(name);
    }

    int size() {
        return names.size();
    }

    Set<String> names() {
        return Set.copyOf(names);
    }

    void cancel() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private void retryNow() {
        timer = null;
        retry.accept(List.copyOf(names));
    }
}
