package org.meshfold.nat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Attribute values to and from bytes, without the 4-byte type/length header or padding. */
final class StunAttributeCodec {
    private static final int FAMILY_IPV4 = 0x01;
    private static final int FAMILY_IPV6 = 0x02;

    private StunAttributeCodec() {
    }

    static byte[] encodeValue(StunAttribute attribute, TransactionId id) {
        return switch (attribute) {
            case AddressAttribute a -> encodeAddress(a, id);
            case TextAttribute t -> t.value().getBytes(StandardCharsets.UTF_8);
            case NumberAttribute n -> switch (n.type()) {
                case StunAttributeType.LIFETIME -> ByteBuffer.allocate(4).putInt((int) n.value()).array();
                case StunAttributeType.CHANNEL_NUMBER -> ByteBuffer.allocate(4).putShort((short) n.value()).array();
                default -> new byte[] {(byte) n.value(), 0, 0, 0};
            };
            case ErrorCodeAttribute e -> {
                byte[] reason = e.reason().getBytes(StandardCharsets.UTF_8);
                yield ByteBuffer.allocate(4 + reason.length).putShort((short) 0).put((byte) (e.code() / 100))
                        .put((byte) (e.code() % 100)).put(reason).array();
            }
            case UnknownAttributesAttribute u -> {
                ByteBuffer b = ByteBuffer.allocate(2 * u.types().size());
                u.types().forEach(t -> b.putShort((short) t.intValue()));
                yield b.array();
            }
            case BytesAttribute b -> b.value();
        };
    }

    private static byte[] encodeAddress(AddressAttribute a, TransactionId id) {
        byte[] ip = a.address().getAddress().getAddress();
        int port = a.address().getPort();
        if (AddressAttribute.isXor(a.type())) {
            ip = xor(ip, id);
            port ^= StunCodec.MAGIC_COOKIE >>> 16;
        }
        return ByteBuffer.allocate(4 + ip.length).put((byte) 0)
                .put((byte) (ip.length == 4 ? FAMILY_IPV4 : FAMILY_IPV6)).putShort((short) port).put(ip).array();
    }

    /** RFC 8489 §14.2: IPv4 XORs with the cookie, IPv6 with the cookie followed by the transaction id. */
    private static byte[] xor(byte[] ip, TransactionId id) {
        byte[] mask = ByteBuffer.allocate(16).putInt(StunCodec.MAGIC_COOKIE).put(id.bytes()).array();
        byte[] out = new byte[ip.length];
        for (int i = 0; i < ip.length; i++) {
            out[i] = (byte) (ip[i] ^ mask[i]);
        }
        return out;
    }

    static StunAttribute decodeValue(int type, byte[] v, TransactionId id) throws StunFormatException {
        if (AddressAttribute.isAddressType(type)) {
            return new AddressAttribute(type, decodeAddress(type, v, id));
        }
        if (TextAttribute.maxBytes(type) >= 0) {
            if (v.length > TextAttribute.maxBytes(type)) {
                throw new StunFormatException.BadLength(String.format(
                        "attribute 0x%04x is %d bytes, at most %d allowed", type, v.length, TextAttribute.maxBytes(type)));
            }
            return new TextAttribute(type, utf8(type, v));
        }
        if (NumberAttribute.isNumberType(type)) {
            requireLength(type, v, 4);
            long value = switch (type) {
                case StunAttributeType.LIFETIME -> ByteBuffer.wrap(v).getInt() & 0xFFFF_FFFFL;
                case StunAttributeType.CHANNEL_NUMBER -> ByteBuffer.wrap(v).getShort() & 0xFFFF;
                default -> v[0] & 0xFF;
            };
            return new NumberAttribute(type, value);
        }
        if (type == StunAttributeType.ERROR_CODE) {
            if (v.length < 4 || v.length > 4 + 763) {
                throw new StunFormatException.BadLength("ERROR-CODE of " + v.length + " bytes");
            }
            int cls = v[2] & 0x07;
            int number = v[3] & 0xFF;
            if (cls < 3 || cls > 6 || number > 99) {
                throw new StunFormatException.BadAttribute("ERROR-CODE class " + cls + " number " + number);
            }
            return new ErrorCodeAttribute(cls * 100 + number, utf8(type, java.util.Arrays.copyOfRange(v, 4, v.length)));
        }
        if (type == StunAttributeType.UNKNOWN_ATTRIBUTES) {
            if (v.length % 2 != 0) {
                throw new StunFormatException.BadLength("UNKNOWN-ATTRIBUTES of odd length " + v.length);
            }
            List<Integer> types = new ArrayList<>();
            ByteBuffer b = ByteBuffer.wrap(v);
            while (b.hasRemaining()) {
                types.add(b.getShort() & 0xFFFF);
            }
            return new UnknownAttributesAttribute(types);
        }
        if (type == StunAttributeType.MESSAGE_INTEGRITY) {
            requireLength(type, v, 20);
        } else if (type == StunAttributeType.FINGERPRINT) {
            requireLength(type, v, 4);
        }
        return new BytesAttribute(type, v);
    }

    private static InetSocketAddress decodeAddress(int type, byte[] v, TransactionId id) throws StunFormatException {
        if (v.length < 4) {
            throw new StunFormatException.BadLength(String.format("address attribute 0x%04x of %d bytes", type, v.length));
        }
        int family = v[1] & 0xFF;
        int ipLength = family == FAMILY_IPV4 ? 4 : family == FAMILY_IPV6 ? 16 : -1;
        if (ipLength < 0) {
            throw new StunFormatException.BadAttribute(String.format("address attribute 0x%04x has family %d", type, family));
        }
        requireLength(type, v, 4 + ipLength);
        int port = ((v[2] & 0xFF) << 8) | (v[3] & 0xFF);
        byte[] ip = java.util.Arrays.copyOfRange(v, 4, 4 + ipLength);
        if (AddressAttribute.isXor(type)) {
            ip = xor(ip, id);
            port ^= StunCodec.MAGIC_COOKIE >>> 16;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4 or 16 byte address is always valid", e);
        }
    }

    private static void requireLength(int type, byte[] v, int length) throws StunFormatException {
        if (v.length != length) {
            throw new StunFormatException.BadLength(String.format(
                    "attribute 0x%04x must be %d bytes, got %d", type, length, v.length));
        }
    }

    private static String utf8(int type, byte[] v) throws StunFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(v)).toString();
        } catch (CharacterCodingException e) {
            throw new StunFormatException.BadAttribute(String.format("attribute 0x%04x is not UTF-8", type));
        }
    }
}
