package org.meshfold.discovery;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import org.meshfold.identity.DeviceId;

/**
 * One device's statement "I am here, reach me at these addresses", as sent on the LAN.
 *
 * <p>An address whose host is unspecified ({@code 0.0.0.0} or {@code ::}) means "the address this
 * packet came from": a daemon listening on all interfaces does not know which of its addresses a
 * receiver can reach, but the receiver does. {@code instanceId} is random per process start, so a
 * receiver notices a restart even when the addresses stay the same. {@code issued} has millisecond
 * precision (the wire format's), later announcements of a device have later times.
 *
 * @param device    the announcing device
 * @param addresses where it accepts sync connections; at most {@link #MAX_ADDRESSES}, resolved, port not 0
 * @param instanceId random per start of the announcing process
 * @param issued    when it was sent, truncated to milliseconds
 */
public record Announcement(DeviceId device, List<InetSocketAddress> addresses, long instanceId, Instant issued) {
    public static final int MAX_ADDRESSES = 16;

    public Announcement {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(issued, "issued");
        addresses = List.copyOf(addresses);
        if (addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException("an announcement carries at most " + MAX_ADDRESSES
                    + " addresses, got " + addresses.size());
        }
        for (InetSocketAddress a : addresses) {
            if (a.isUnresolved() || a.getPort() == 0) {
                throw new IllegalArgumentException("announced address must be resolved and have a port: " + a);
            }
        }
        issued = issued.truncatedTo(ChronoUnit.MILLIS);
    }
}
