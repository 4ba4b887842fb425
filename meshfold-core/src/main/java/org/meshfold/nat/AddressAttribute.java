package org.meshfold.nat;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * MAPPED-ADDRESS (plain) or one of the XOR-obfuscated addresses: XOR-MAPPED-ADDRESS,
 * XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS. The address here is always the real one; the XOR with
 * the magic cookie and transaction id happens on the wire (RFC 8489 §14.2).
 */
public record AddressAttribute(int type, InetSocketAddress address) implements StunAttribute {
    public AddressAttribute {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("STUN carries IP addresses, not host names: " + address);
        }
        if (!isAddressType(type)) {
            throw new IllegalArgumentException("not an address attribute type: " + type);
        }
    }

    static boolean isAddressType(int type) {
        return type == StunAttributeType.MAPPED_ADDRESS || isXor(type);
    }

    static boolean isXor(int type) {
        return type == StunAttributeType.XOR_MAPPED_ADDRESS || type == StunAttributeType.XOR_PEER_ADDRESS
                || type == StunAttributeType.XOR_RELAYED_ADDRESS;
    }
}
