package org.meshfold.it.traversal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.meshfold.it.natlab.NatType.ADDRESS_RESTRICTED;
import static org.meshfold.it.natlab.NatType.FULL_CONE;
import static org.meshfold.it.natlab.NatType.NONE;
import static org.meshfold.it.natlab.NatType.PORT_RESTRICTED;
import static org.meshfold.it.natlab.NatType.SYMMETRIC;
import static org.meshfold.it.natlab.NatType.UDP_BLOCKED;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.meshfold.it.natlab.NatType;

class ExpectedPathTest {
    private static final List<NatType> CONES = List.of(NONE, FULL_CONE, ADDRESS_RESTRICTED, PORT_RESTRICTED);

    @Test
    void between_anyTwoEndpointIndependentMappings_isDirect() {
        for (NatType a : CONES) {
            for (NatType b : CONES) {
                assertThat(ExpectedPath.between(a, b)).as(a + " with " + b).containsExactly("direct");
            }
        }
    }

    @Test
    void between_symmetric_isDirectOnlyWithFiltersThatIgnoreThePort() {
        assertThat(ExpectedPath.between(SYMMETRIC, NONE)).containsExactly("direct");
        assertThat(ExpectedPath.between(SYMMETRIC, FULL_CONE)).containsExactly("direct");
        assertThat(ExpectedPath.between(SYMMETRIC, ADDRESS_RESTRICTED)).containsExactly("direct");
        assertThat(ExpectedPath.between(SYMMETRIC, PORT_RESTRICTED)).containsExactly("relayed");
        assertThat(ExpectedPath.between(SYMMETRIC, SYMMETRIC)).containsExactly("relayed");
    }

    @Test
    void between_udpBlocked_relaysExceptThatAPublicPeerMayBeReachedOverTcp() {
        assertThat(ExpectedPath.between(UDP_BLOCKED, NONE)).containsExactlyInAnyOrder("direct", "relayed");
        for (NatType other : List.of(FULL_CONE, ADDRESS_RESTRICTED, PORT_RESTRICTED, SYMMETRIC, UDP_BLOCKED)) {
            assertThat(ExpectedPath.between(UDP_BLOCKED, other)).as("UDP blocked with " + other).containsExactly("relayed");
        }
    }

    @Test
    void between_isSymmetricAndNeverEmpty() {
        for (NatType a : NatType.values()) {
            for (NatType b : NatType.values()) {
                Set<String> ab = ExpectedPath.between(a, b);
                assertThat(ab).as(a + " with " + b).isNotEmpty().isEqualTo(ExpectedPath.between(b, a))
                        .isSubsetOf("direct", "relayed");
            }
        }
    }

    @Test
    void sameNat_isLan() {
        assertThat(ExpectedPath.sameNat()).containsExactly("lan");
    }
}
