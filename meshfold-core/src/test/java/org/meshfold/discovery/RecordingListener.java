package org.meshfold.discovery;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.meshfold.identity.DeviceId;

/** Keeps every {@link DiscoveryListener#found} call. Thread-safe. */
final class RecordingListener implements DiscoveryListener {
    record Found(DeviceId device, List<InetSocketAddress> addresses) {
    }

    final List<Found> events = new CopyOnWriteArrayList<>();

    @Override
    public void found(DeviceId device, List<InetSocketAddress> addresses) {
        events.add(new Found(device, addresses));
    }

    boolean saw(DeviceId device) {
        return events.stream().anyMatch(f -> f.device().equals(device));
    }

    boolean saw(DeviceId device, List<InetSocketAddress> addresses) {
        return events.contains(new Found(device, addresses));
    }

    long count(DeviceId device) {
        return events.stream().filter(f -> f.device().equals(device)).count();
    }
}
