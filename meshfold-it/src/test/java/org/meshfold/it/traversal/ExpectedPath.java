package org.meshfold.it.traversal;

import java.util.Set;
import org.meshfold.it.natlab.NatType;

/**
 * The path two devices must end up on, from NAT theory (DESIGN §8). A punch works unless one side
 * maps every destination to a new port (symmetric) and the other filters by port (port-restricted
 * or symmetric): the symmetric side's new mapping is then unknown to a filter that needs the exact
 * port. So every pair of endpoint-independent mappings (no NAT, full-cone, address-restricted,
 * port-restricted) is direct, and symmetric is direct with none, full-cone and address-restricted.
 * A UDP-blocked side can only relay, over TURN on TCP, except towards a public device, which it may
 * also reach directly over TCP. Two devices behind one NAT talk over their LAN addresses, whether
 * the router hairpins or not.
 */
final class ExpectedPath {
    static final String LAN = "lan";
    static final String DIRECT = "direct";
    static final String RELAYED = "relayed";

    private ExpectedPath() {
    }

    /** The paths allowed between devices behind two different NATs of these types (order does not matter). */
    static Set<String> between(NatType a, NatType b) {
        if (a == NatType.UDP_BLOCKED || b == NatType.UDP_BLOCKED) {
            NatType other = a == NatType.UDP_BLOCKED ? b : a;
            return other == NatType.NONE ? Set.of(DIRECT, RELAYED) : Set.of(RELAYED);
        }
        if (a == NatType.SYMMETRIC || b == NatType.SYMMETRIC) {
            NatType other = a == NatType.SYMMETRIC ? b : a;
            boolean portFiltering = other == NatType.PORT_RESTRICTED || other == NatType.SYMMETRIC;
            return portFiltering ? Set.of(RELAYED) : Set.of(DIRECT);
        }
        return Set.of(DIRECT);
    }

    /** The path between two devices on the LAN behind one NAT, with or without hairpinning. */
    static Set<String> sameNat() {
        return Set.of(LAN);
    }
}
