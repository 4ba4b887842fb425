package org.meshfold.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.NetworkInterface;
import org.junit.jupiter.api.Test;

class LanTargetsTest {

    @Test
    void current_everyUsableInterface_neverLoopback() throws Exception {
        var targets = new LanTargets(DiscoveryOptions.MULTICAST_GROUP, 21025).current();

        for (var t : targets) {
            assertThat(t.address().getPort()).isEqualTo(21025);
            assertThat(t.address().getAddress().isLoopbackAddress()).as("%s", t).isFalse();
            t.multicastInterface().ifPresent(nif -> assertThat(isLoopback(nif)).as("%s", t).isFalse());
        }
        for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
            if (nif.isUp() && !nif.isLoopback() && nif.supportsMulticast() && nif.inetAddresses()
                    .anyMatch(a -> a instanceof java.net.Inet4Address)) {
                assertThat(targets).as("group on %s", nif.getName())
                        .anyMatch(t -> t.multicastInterface().filter(nif::equals).isPresent());
            }
            for (var ia : nif.getInterfaceAddresses()) {
                if (nif.isUp() && !nif.isLoopback() && ia.getBroadcast() != null) {
                    assertThat(targets).anyMatch(t -> t.address().getAddress().equals(ia.getBroadcast()));
                }
            }
        }
    }

    private static boolean isLoopback(NetworkInterface nif) {
        try {
            return nif.isLoopback();
        } catch (java.net.SocketException e) {
            throw new AssertionError(e);
        }
    }
}
