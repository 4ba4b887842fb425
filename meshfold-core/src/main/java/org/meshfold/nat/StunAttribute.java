package org.meshfold.nat;

/**
 * One decoded STUN attribute. The families are closed: addresses, text, numbers, error codes,
 * unknown-attribute lists, and raw bytes (DATA, MESSAGE-INTEGRITY, FINGERPRINT, anything we do
 * not interpret). Encoding and decoding live in {@link StunAttributeCodec}.
 */
public sealed interface StunAttribute
        permits AddressAttribute, TextAttribute, NumberAttribute, ErrorCodeAttribute,
        UnknownAttributesAttribute, BytesAttribute {
    /** The 16-bit attribute type from {@link StunAttributeType}. */
    int type();
}
