package org.meshfold.nat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A decoded or to-be-encoded STUN message (RFC 8489 §5). MESSAGE-INTEGRITY and FINGERPRINT are
 * added by {@link StunCodec#encode}; in a decoded message they appear as {@link BytesAttribute}s.
 */
public record StunMessage(StunClass messageClass, int method, TransactionId transactionId,
        List<StunAttribute> attributes) {
    public StunMessage {
        Objects.requireNonNull(messageClass, "messageClass");
        Objects.requireNonNull(transactionId, "transactionId");
        if (method < 0 || method > 0xFFF) {
            throw new IllegalArgumentException("STUN methods have 12 bits, got " + method);
        }
        attributes = List.copyOf(attributes);
    }

    /** The 14-bit message type with the class bits interleaved into the method bits. */
    public int messageType() {
        int c = messageClass.bits();
        return (method & 0x000F) | ((c & 1) << 4) | ((method & 0x0070) << 1) | ((c & 2) << 7)
                | ((method & 0x0F80) << 2);
    }

    static StunClass classOf(int messageType) {
        return StunClass.ofBits(((messageType & 0x0010) >> 4) | ((messageType & 0x0100) >> 7));
    }

    static int methodOf(int messageType) {
        return (messageType & 0x000F) | ((messageType & 0x00E0) >> 1) | ((messageType & 0x3E00) >> 2);
    }

    /** The first attribute of {@code type}, if any. */
    public Optional<StunAttribute> attribute(int type) {
        return attributes.stream().filter(a -> a.type() == type).findFirst();
    }

    public Optional<InetSocketAddress> address(int type) {
        return attribute(type).filter(AddressAttribute.class::isInstance)
                .map(a -> ((AddressAttribute) a).address());
    }

    public Optional<String> text(int type) {
        return attribute(type).filter(TextAttribute.class::isInstance).map(a -> ((TextAttribute) a).value());
    }

    public OptionalLong number(int type) {
        return attribute(type).filter(NumberAttribute.class::isInstance)
                .map(a -> OptionalLong.of(((NumberAttribute) a).value())).orElse(OptionalLong.empty());
    }

    public Optional<byte[]> bytes(int type) {
        return attribute(type).filter(BytesAttribute.class::isInstance).map(a -> ((BytesAttribute) a).value());
    }

    public Optional<ErrorCodeAttribute> error() {
        return attribute(StunAttributeType.ERROR_CODE).map(ErrorCodeAttribute.class::cast);
    }

    /** A short description for logs and exception messages: "Allocate error 401 (Unauthorized)". */
    public String describe() {
        String base = StunMethod.name(method) + " " + messageClass.name().toLowerCase(java.util.Locale.ROOT);
        return error().map(e -> base + " " + e.code() + " (" + e.reason() + ")").orElse(base);
    }
}
