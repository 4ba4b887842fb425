package org.meshfold.discovery;

import java.net.InetSocketAddress;
import java.util.List;
import org.meshfold.identity.DeviceId;

/** Learns where devices are, from verified announcements. */
@FunctionalInterface
public interface DiscoveryListener {

    /**
     * A device was seen for the first time (or again after its entry expired), its addresses
     * changed, or it restarted. Not called for repeats of what is already known. Called on the
     * discovery receive thread, one call at a time: it should hand work off rather than dial.
     *
     * @param addresses where it accepts sync connections, unspecified hosts already replaced by
     *                  the address the announcement came from
     */
    void found(DeviceId device, List<InetSocketAddress> addresses);
}
