package org.meshfold.replication;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.meshfold.index.Block;

/**
 * Hands out needed blocks to connected peers (multi-source pulling). Every peer has a budget of
 * request bytes in flight; in each round every peer with room takes the next block it can serve
 * from the shared queue (the missing blocks of the transferring jobs, in job order). A peer that
 * answers faster frees its budget sooner and so takes more blocks. Owned by the folder loop.
 */
final class BlockScheduler {
    private final long budget;
    private final Map<Long, Slot> slots = new LinkedHashMap<>();
    private int rotation;

    /** A block given to a peer. */
    record Assignment(PullJob job, Block block, long device, Peer peer) {
    }

    private static final class Slot {
        final Peer peer;
        long inFlightBytes;

        Slot(Peer peer) {
            this.peer = peer;
        }
    }

    BlockScheduler(long budgetBytes) {
        this.budget = budgetBytes;
    }

    void addPeer(long device, Peer peer) {
        slots.put(device, new Slot(peer));
    }

    /** Forgets {@code peer} if it is still the connection registered for {@code device}. */
    boolean removePeer(long device, Peer peer) {
        Slot s = slots.get(device);
        if (s == null || s.peer != peer) {
            return false;
        }
        slots.remove(device);
        return true;
    }

    Set<Long> devices() {
        return slots.keySet();
    }

    /** Assigns queued blocks to peers with room, one block per peer per round, until no one can take more. */
    List<Assignment> assign(Collection<PullJob> jobs) {
        List<Assignment> out = new ArrayList<>();
        List<Map.Entry<Long, Slot>> order = new ArrayList<>(slots.entrySet());
        if (order.isEmpty()) {
            return out;
        }
        // Start each call with a different peer so that no peer is always first in line.
        Collections.rotate(order, -(rotation++ % order.size()));
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Map.Entry<Long, Slot> e : order) {
                Slot slot = e.getValue();
                if (slot.inFlightBytes >= budget || !slot.peer.isOpen()) {
                    continue;
                }
                for (PullJob job : jobs) {
                    if (job.stage == PullJob.Stage.TRANSFERRING && !job.cancelled && job.servableBy(e.getKey())) {
                        Block b = job.missing.poll();
                        job.inFlight++;
                        slot.inFlightBytes += b.size();
                        out.add(new Assignment(job, b, e.getKey(), slot.peer));
                        progress = true;
                        break;
                    }
                }
            }
        }
        return out;
    }

    /** An assigned block was answered (or failed): its bytes no longer count against the peer's budget. */
    void released(Assignment a) {
        Slot s = slots.get(a.device());
        if (s != null && s.peer == a.peer()) {
            s.inFlightBytes -= a.block().size();
        }
    }
}
