package org.meshfold.replication;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.meshfold.index.FileType;

/**
 * The names that need work and have not started, in pull order: version-only updates and
 * directories first (shallow to deep, so parents exist), then files and symlinks, then deletions
 * (files, then directories deepest first, so a directory is empty when its turn comes). Deletions
 * run after the pulls so that content a pull can copy locally (a rename) is still there.
 * Owned by the folder loop.
 */
final class NeedQueue {
    private record Key(int phase, int depth, String name) {
        static final Comparator<Key> ORDER = Comparator.comparingInt(Key::phase).thenComparingInt(Key::depth)
                .thenComparing(Key::name);
    }

    private static final int QUICK = 0;
    private static final int PULL = 1;
    private static final int DELETE_FILE = 2;
    private static final int DELETE_DIR = 3;

    private final TreeMap<Key, NeedAction> ordered = new TreeMap<>(Key.ORDER);
    private final Map<String, Key> keys = new HashMap<>();
    private long pullBytes;

    void put(NeedAction action) {
        remove(action.name());
        Key key = keyOf(action);
        keys.put(action.name(), key);
        ordered.put(key, action);
        pullBytes += pullSize(action);
    }

    void remove(String name) {
        Key key = keys.remove(name);
        if (key != null) {
            pullBytes -= pullSize(ordered.remove(key));
        }
    }

    int size() {
        return keys.size();
    }

    /** Total size of the files queued for pulling. */
    long pullBytes() {
        return pullBytes;
    }

    private static long pullSize(NeedAction action) {
        return action instanceof NeedAction.Pull p ? p.target().size() : 0;
    }

    List<String> names() {
        return List.copyOf(keys.keySet());
    }

    /** Removes and returns the version-only updates and directory creations. */
    List<NeedAction> takeQuick() {
        return takePhases(QUICK, QUICK);
    }

    boolean hasPulls() {
        return firstPull() != null;
    }

    /** Removes and returns the next pull. */
    NeedAction.Pull pollPull() {
        Map.Entry<Key, NeedAction> e = firstPull();
        if (e == null) {
            throw new IllegalStateException("no pull queued");
        }
        remove(e.getKey().name());
        return (NeedAction.Pull) e.getValue();
    }

    /** Removes and returns all deletions, files first, then directories deepest first. */
    List<NeedAction> takeDeletions() {
        return takePhases(DELETE_FILE, DELETE_DIR);
    }

    private Map.Entry<Key, NeedAction> firstPull() {
        Map.Entry<Key, NeedAction> e = ordered.ceilingEntry(new Key(PULL, Integer.MIN_VALUE, ""));
        return e != null && e.getKey().phase() == PULL ? e : null;
    }

    private List<NeedAction> takePhases(int from, int to) {
        var range = ordered.subMap(new Key(from, Integer.MIN_VALUE, ""), new Key(to + 1, Integer.MIN_VALUE, ""));
        List<NeedAction> out = new ArrayList<>(range.values());
        out.forEach(a -> remove(a.name()));
        return out;
    }

    private static Key keyOf(NeedAction a) {
        int depth = (int) a.name().chars().filter(c -> c == '/').count();
        return switch (a) {
            case NeedAction.UpdateMeta u -> new Key(QUICK, depth, a.name());
            case NeedAction.MakeDir m -> new Key(QUICK, depth, a.name());
            case NeedAction.Pull p -> new Key(PULL, depth, a.name());
            case NeedAction.Delete d -> d.local() != null && d.local().type() == FileType.DIRECTORY
                    && !d.local().deleted()
                    ? new Key(DELETE_DIR, -depth, a.name()) : new Key(DELETE_FILE, depth, a.name());
        };
    }
}
