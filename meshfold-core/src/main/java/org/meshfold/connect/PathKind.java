package org.meshfold.connect;

import java.net.InetAddress;

/** What kind of path a connection takes, best first: as {@code status} names them. */
public enum PathKind {
    /** Straight to a private, link-local or loopback address: the same network. */
    LAN,
    /** Straight to a public address, through any NATs (punched or reachable). */
    DIRECT,
    /** Through a TURN relay, ours or the peer's. */
    RELAYED;

    /** The lower-case name {@code status} shows. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** LAN for private, link-local and loopback addresses (and shared address space 100.64/10), else DIRECT. */
    public static PathKind ofDirect(InetAddress address) {
        if (address.isSiteLocalAddress() || address.isLinkLocalAddress() || address.isLoopbackAddress()
                || address.isAnyLocalAddress()) {
            return LAN;
        }
        byte[] b = address.getAddress();
        boolean carrierNat = b.length == 4 && (b[0] & 0xFF) == 100 && (b[1] & 0xC0) == 64;
        boolean uniqueLocal = b.length == 16 && (b[0] & 0xFE) == 0xFC;
        return carrierNat || uniqueLocal ? LAN : DIRECT;
    }
}
