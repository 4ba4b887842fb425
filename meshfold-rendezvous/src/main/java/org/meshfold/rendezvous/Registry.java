package org.meshfold.rendezvous;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.meshfold.discovery.rendezvous.pb.SignedRecord;
import org.meshfold.identity.DeviceId;

/**
 * Everything the server knows, in memory only: the open session of each device and each device's
 * latest verified record. Shared by all event loops, hence concurrent maps; a device's record is
 * written only from that device's own session. Expired records are dropped when looked up and
 * swept when the store is full, so no timer is needed and memory stays bounded by the limits.
 */
final class Registry {
    record Stored(SignedRecord record, Instant expires) {
    }

    private final int maxSessions;
    private final int maxRecords;
    private final Map<DeviceId, Session> sessions = new ConcurrentHashMap<>();
    private final Map<DeviceId, Stored> records = new ConcurrentHashMap<>();

    Registry(int maxSessions, int maxRecords) {
        this.maxSessions = maxSessions;
        this.maxRecords = maxRecords;
    }

    /**
     * Adds {@code session}, replacing (and closing) an older session of the same device.
     *
     * @return false if the server is full
     */
    synchronized boolean open(Session session) {
        if (sessions.size() >= maxSessions && !sessions.containsKey(session.device())) {
            return false;
        }
        Session previous = sessions.put(session.device(), session);
        if (previous != null) {
            previous.channel().close();
        }
        return true;
    }

    void close(Session session) {
        sessions.remove(session.device(), session);
    }

    Optional<Session> session(DeviceId device) {
        return Optional.ofNullable(sessions.get(device));
    }

    /** Stores a verified record; false if the store is full of unexpired records of other devices. */
    boolean put(DeviceId device, Stored stored, Instant now) {
        if (records.size() >= maxRecords && !records.containsKey(device)) {
            sweep(now);
            if (records.size() >= maxRecords) {
                return false;
            }
        }
        records.put(device, stored);
        return true;
    }

    Optional<Stored> record(DeviceId device, Instant now) {
        Stored stored = records.get(device);
        if (stored == null) {
            return Optional.empty();
        }
        if (!stored.expires().isAfter(now)) {
            records.remove(device, stored);
            return Optional.empty();
        }
        return Optional.of(stored);
    }

    int sessionCount() {
        return sessions.size();
    }

    int recordCount(Instant now) {
        sweep(now);
        return records.size();
    }

    private void sweep(Instant now) {
        records.values().removeIf(stored -> !stored.expires().isAfter(now));
    }
}
