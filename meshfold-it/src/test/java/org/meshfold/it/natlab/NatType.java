package org.meshfold.it.natlab;

/**
 * NAT behaviours the lab can build, named after RFC 3489 and described in RFC 4787 terms (mapping
 * and filtering). Every router type drops, never rejects, unsolicited inbound packets.
 */
public enum NatType {
    /** No NAT: the host sits directly on the public network. */
    NONE,
    /** Endpoint-independent mapping, endpoint-independent filtering. */
    FULL_CONE,
    /** Endpoint-independent mapping, address-dependent filtering. */
    ADDRESS_RESTRICTED,
    /** Endpoint-independent mapping (Linux keeps the source port), address-and-port-dependent filtering. */
    PORT_RESTRICTED,
    /** Address-and-port-dependent mapping with random ports, address-and-port-dependent filtering. */
    SYMMETRIC,
    /** Port-restricted NAT for TCP; every UDP packet is dropped at the router. */
    UDP_BLOCKED
}
