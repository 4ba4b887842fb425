package org.meshfold.discovery.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.meshfold.identity.DeviceId;

class RendezvousUrlTest {
    private static final DeviceId ID = DeviceId.of(new byte[32]);

    @Test
    void parse_roundTripsIpv4AndIpv6() {
        RendezvousUrl v4 = new RendezvousUrl("203.0.113.1", 7443, ID);
        RendezvousUrl v6 = new RendezvousUrl("2001:db8::1", 7443, ID);

        assertThat(RendezvousUrl.parse(v4.toString())).isEqualTo(v4);
        assertThat(RendezvousUrl.parse(v6.toString())).isEqualTo(v6);
        assertThat(v4.toString()).isEqualTo("mfr://203.0.113.1:7443/" + ID);
    }

    @Test
    void parse_withoutServerIdOrWithTypo_isRefused() {
        String typo = ID.toString().replace('A', 'B');

        assertThatThrownBy(() -> RendezvousUrl.parse("mfr://203.0.113.1:7443")).hasMessageContaining("lacks the server");
        assertThatThrownBy(() -> RendezvousUrl.parse("mfr://203.0.113.1:7443/" + typo)).hasMessageContaining("invalid server id");
        assertThatThrownBy(() -> RendezvousUrl.parse("https://203.0.113.1:7443/" + ID)).hasMessageContaining("mfr://");
    }
}
