package org.meshfold.replication;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import org.meshfold.clock.HlcClock;
import org.meshfold.fs.InvalidNameException;
import org.meshfold.fs.PathNames;
import org.meshfold.identity.DeviceId;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FolderIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of one folder; every method runs on the folder loop thread (see
 * {@link FolderSync} for the design note). Names move between: the {@link NeedQueue} (work not
 * started), the {@link Puller} (a job running), {@code waiting} (no connected peer has the
 * content; evaluated again when a peer connects or re-announces the name) and {@code deferred}
 * (skipped because the disk differs from the local record, or failed; evaluated again when the
 * scanner commits the name or after the retry delay).
 */
final class FolderLoop implements Puller.Events {
    private static final Logger log = LoggerFactory.getLogger(FolderLoop.class);

    /** Loop state counts for {@link FolderStatus}; published after every event. */
    record Counts(int connectedPeers, int queued, int active, int waiting, int deferred, long pullBytes) {
    }

    private record PeerState(Peer peer, ClusterConfig.Folder theirs) {
    }

    /** A connected peer and what it announced for this folder; published after every event. */
    record Connected(DeviceId device, ClusterConfig.Folder theirs) {
    }

    private final FolderSyncOptions options;
    private final FolderIndex index;
    private final HlcClock hlc;
    private final Clock clock;
    private final SyncCounters counters;
    private final NeedEvaluator evaluator;
    private final LocalApplier applier;
    private final IndexSender sender;
    private final Puller puller;
    private final LocalChangeGuard guard;
    private final Map<Long, PeerState> peers = new HashMap<>();
    private final NeedQueue queue = new NeedQueue();
    private final Set<String> waiting = new LinkedHashSet<>();
    /** Temp files of jobs that ended without being put in place, kept for a later pull to resume. */
    private final Map<String, Path> keptTemps = new HashMap<>();
    private final Deferrals deferred;
    private boolean closed;
    private volatile Counts counts = new Counts(0, 0, 0, 0, 0, 0);
    private volatile List<Connected> connected = List.of();

    FolderLoop(FolderSyncOptions options, FolderIndex index, HlcClock hlc, Clock clock, Executor io,
               RescanRequester rescan, Loop loop, SyncCounters counters) {
        this.options = options;
        this.index = index;
        this.hlc = hlc;
        this.clock = clock;
        this.counters = counters;
        this.evaluator = new NeedEvaluator(index);
        this.applier = new LocalApplier(options.root(), index, hlc, options.selfShortId());
        this.sender = new IndexSender(index, options.tuning().indexPageRecords());
        this.puller = new Puller(options, index, io, loop, counters, this);
        this.guard = new LocalChangeGuard(index, options.selfShortId());
        this.deferred = new Deferrals(options, loop, rescan, names -> {
            names.forEach(this::evaluate);
            pump();
        });
    }

    Counts counts() {
        return counts;
    }

    /** See {@link Puller#installing}; any thread. */
    Optional<FileRecord> installing(String name) {
        return puller.installing(name);
    }

    /** The peers connected for this folder as of the last event; read from any thread. */
    List<Connected> connected() {
        return connected;
    }

    void start() {
        index.allNames().forEach(this::evaluate);
        pump();
    }

    void localChanges(List<FileRecord> changes) {
        List<FileRecord> accepted = guard.accept(changes);
        commit(accepted);
        accepted.forEach(r -> evaluate(r.name()));
        pump();
    }

    /**
     * The scanner saw temp files of downloads of {@code names}: one that no pull runs for is kept
     * for a pull to resume, or deleted now if the name needs none (left by an earlier run).
     */
    void tempFilesFound(Collection<String> names) {
        for (String name : names) {
            if (puller.job(name) != null || keptTemps.containsKey(name)) {
                continue;
            }
            try {
                keptTemps.put(name, PullJob.tempPath(PathNames.resolve(options.root(), name), name));
            } catch (InvalidNameException e) {
                continue; // not a name this folder can hold: not ours to touch
            }
            evaluate(name);
        }
        pump();
    }

    void peerConnected(Peer peer, ClusterConfig.Folder theirs) {
        long device = peer.deviceId().shortId();
        FolderIndex.Cursor cursor = index.cursor(device);
        if (!cursor.equals(FolderIndex.Cursor.NONE) && cursor.epoch() != theirs.epoch()) {
            log.info("folder {}: device {} reset its index (epoch changed); fetching it again",
                    options.folderId(), peer.deviceId());
            index.dropRemote(device);
            // It announces its files again at once: keep the temp files for those pulls to resume.
            pendingNames().forEach(name -> evaluate(name, false));
        }
        PeerState old = peers.put(device, new PeerState(peer, theirs));
        if (old != null && old.peer() != peer) {
            sender.stop(device, old.peer());
            puller.peerDisconnected(device, old.peer());
        }
        sender.start(device, peer, theirs);
        if (old == null || old.peer() != peer) {
            puller.peerConnected(device, peer);
        }
        List.copyOf(waiting).forEach(this::evaluate);
        pump();
    }

    void peerDisconnected(Peer peer) {
        long device = peer.deviceId().shortId();
        PeerState ps = peers.get(device);
        if (ps != null && ps.peer() == peer) {
            peers.remove(device);
            sender.stop(device, peer);
            puller.peerDisconnected(device, peer);
        }
        pump();
    }

    /** {@code device} no longer shares this folder: forget its connection and everything it announced. */
    void peerRemoved(long device) {
        PeerState ps = peers.remove(device);
        if (ps != null) {
            sender.stop(device, ps.peer());
            puller.peerDisconnected(device, ps.peer());
        }
        index.dropRemote(device);
        pendingNames().forEach(this::evaluate);
        pump();
    }

    void remoteIndex(Peer peer, List<FileRecord> records) {
        long device = peer.deviceId().shortId();
        PeerState ps = peers.get(device);
        if (ps == null || ps.peer() != peer) {
            if (peer.isOpen() && ps == null) {
                peer.close("sent an index for folder " + options.folderId() + " before its cluster config");
            }
            return; // from a connection that is gone: it will be sent again after reconnecting
        }
        try {
            records.forEach(r -> PathNames.validate(r.name()));
        } catch (InvalidNameException e) {
            peer.close("index update for folder " + options.folderId() + " has " + e.getMessage());
            return;
        }
        records.forEach(r -> hlc.observe(r.hlc()));
        index.applyRemote(device, ps.theirs().epoch(), records);
        for (FileRecord r : records) {
            puller.remoteUpdated(device, r.name());
            evaluate(r.name());
        }
        pump();
    }

    void close() {
        closed = true;
        puller.closeAll();
        deferred.cancel();
    }

    @Override
    public void ended(PullJob job, Puller.End end, Throwable error) {
        keptTemps.put(job.name(), job.temp);
        switch (end) {
            case WAITING -> waiting.add(job.name());
            case CANCELLED -> evaluate(job.name());
            case FAILED -> deferred.add(job.name(), "pull failed: " + error, false);
        }
        pump();
    }

    @Override
    public void completed(PullJob job) {
        pump();
    }

    @Override
    public void finished(FinishStep.Result result) {
        List<FileRecord> records = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int copies = 0;
        List<String> copyNames = new ArrayList<>();
        for (PullJob job : result.installed()) {
            NeedAction.Pull a = job.action;
            keptTemps.remove(a.name());
            if (a.copy() != null && !a.copy().present()) {
                records.add(ConflictNames.copyRecord(index, a.local(), a.copy().name(), hlc.now(),
                        options.selfShortId()));
                copyNames.add(a.copy().name());
                copies++;
            }
            records.add(a.target());
            names.add(a.name());
        }
        records.addAll(applier.reviveParents(names));
        commit(records);
        if (!names.isEmpty()) {
            counters.filesPulled.addAndGet(names.size());
            counters.lastPulledMillis.set(clock.millis());
        }
        counters.conflictsCreated.addAndGet(copies);
        result.deferred().forEach((job, why) -> {
            keptTemps.put(job.name(), job.temp);
            deferred.add(job.name(), why, true);
        });
        result.failed().forEach((job, e) -> {
            keptTemps.put(job.name(), job.temp);
            // It may have been renamed into place before failing: the scanner looks at it again.
            deferred.add(job.name(), "cannot put in place: " + e, true);
        });
        names.forEach(this::evaluate);
        // A copy name may have its own pull (the same copy made by another device): it is not needed now.
        copyNames.forEach(this::evaluate);
        pump();
    }

    private void evaluate(String name) {
        evaluate(name, true);
    }

    /** {@code discardUnusedTemp}: delete the name's kept temp file if it needs no pull now. */
    private void evaluate(String name, boolean discardUnusedTemp) {
        Optional<NeedAction> need = evaluator.evaluate(name);
        PullJob job = puller.job(name);
        if (job != null) {
            // Evaluated again when the job ends; stop it early if it no longer fetches the right thing.
            if (need.isPresent() && need.get() instanceof NeedAction.Pull pull && job.sameWork(pull)) {
                job.action = pull;
            } else if (need.isEmpty() || !need.get().equals(job.action)) {
                puller.cancel(job);
            }
            return;
        }
        waiting.remove(name);
        deferred.remove(name);
        if (need.isPresent() && need.get() instanceof NeedAction.Pull pull) {
            Optional<FileRecord> kept = applier.keepDirectory(pull);
            if (kept.isPresent()) {
                commit(List.of(kept.get()));
                need = evaluator.evaluate(name);
            }
        }
        if (discardUnusedTemp && !(need.isPresent() && need.get() instanceof NeedAction.Pull)) {
            discardTemp(name);
        }
        if (need.isPresent()) {
            queue.put(need.get());
        } else {
            queue.remove(name);
            deferred.resolved(name);
        }
    }

    /** Deletes the kept temp file of a name that no longer needs a pull: nothing would resume it. */
    private void discardTemp(String name) {
        Path temp = keptTemps.remove(name);
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                log.warn("folder {}: cannot delete the unused temp file {}: {}", options.folderId(), temp, e.toString());
            }
        }
    }

    /** Starts what can start: quick actions, pulls up to the limit, and deletions once no pull is left. */
    private void pump() {
        if (closed) {
            return;
        }
        applyLocal(queue.takeQuick());
        while (puller.hasRoom() && queue.hasPulls()) {
            puller.start(queue.pollPull());
        }
        if (puller.active() == 0) {
            puller.flushFinished(); // nothing else will join the batch soon
        }
        if (!queue.hasPulls() && puller.size() == 0) {
            applyLocal(queue.takeDeletions());
        }
        counts = new Counts(peers.size(), queue.size(), puller.size(), waiting.size(), deferred.size(),
                queue.pullBytes() + puller.bytes());
        connected = peers.values().stream().map(ps -> new Connected(ps.peer().deviceId(), ps.theirs())).toList();
    }

    private void applyLocal(List<NeedAction> actions) {
        if (actions.isEmpty()) {
            return;
        }
        LocalApplier.Result r = applier.apply(actions);
        commit(r.commits());
        counters.conflictsCreated.addAndGet(r.conflicts());
        r.deferred().forEach((name, why) -> deferred.add(name, why, true));
        r.failed().forEach((name, e) -> deferred.add(name, e.toString(), false));
    }

    private void commit(List<FileRecord> records) {
        if (!records.isEmpty()) {
            index.commitLocal(records);
            sender.sendPending();
            records.forEach(r -> deferred.resolved(r.name()));
        }
    }

    private Collection<String> pendingNames() {
        Set<String> names = new LinkedHashSet<>(queue.names());
        names.addAll(waiting);
        names.addAll(deferred.names());
        return names;
    }
}
