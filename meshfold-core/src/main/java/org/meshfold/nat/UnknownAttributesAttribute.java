package org.meshfold.nat;

import java.util.List;

/** UNKNOWN-ATTRIBUTES (RFC 8489 §14.9): the types a 420 response says the server did not know. */
public record UnknownAttributesAttribute(List<Integer> types) implements StunAttribute {
    public UnknownAttributesAttribute {
        types = List.copyOf(types);
    }

    @Override
    public int type() {
        return StunAttributeType.UNKNOWN_ATTRIBUTES;
    }
}
