package org.meshfold.nat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * STUN message framing (RFC 8489 §5, §14): a 20-byte header (type, length, magic cookie,
 * transaction id) and attributes padded to four bytes. The encoder appends MESSAGE-INTEGRITY
 * (HMAC-SHA1 over the message so far, with the length field already counting the integrity
 * attribute, §14.5) and FINGERPRINT (CRC-32 XOR 0x5354554E, §14.7). The decoder rejects anything
 * malformed with a {@link StunFormatException} subclass and checks FINGERPRINT when present;
 * MESSAGE-INTEGRITY needs the key and is checked by {@link #verifyIntegrity}.
 */
public final class StunCodec {
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int HEADER_LENGTH = 20;
    private static final int FINGERPRINT_XOR = 0x5354554E;
    private static final int INTEGRITY_LENGTH = 20;

    private StunCodec() {
    }

    /** Encodes without MESSAGE-INTEGRITY or FINGERPRINT. */
    public static byte[] encode(StunMessage message) {
        return encode(message, null, false);
    }

    /**
     * @param integrityKey HMAC-SHA1 key for MESSAGE-INTEGRITY, or null for none (for long-term
     *                     credentials see {@link TurnCredentials#key(String)})
     * @param fingerprint  whether to append FINGERPRINT as the last attribute
     */
    public static byte[] encode(StunMessage message, byte[] integrityKey, boolean fingerprint) {
        return encode(message, integrityKey, fingerprint, (byte) 0);
    }

    /**
     * RFC 8489 pads with zeros; RFC 5389 allowed any value, and the RFC 5769 test vectors pad with
     * spaces, so tests reproduce them with {@code padding = ' '}.
     */
    static byte[] encode(StunMessage message, byte[] integrityKey, boolean fingerprint, byte padding) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (StunAttribute a : message.attributes()) {
            writeAttribute(body, a.type(), StunAttributeCodec.encodeValue(a, message.transactionId()), padding);
        }
        byte[] out = withHeader(message, body.toByteArray(), 0);
        if (integrityKey != null) {
            out = withLength(out, out.length - HEADER_LENGTH + 4 + INTEGRITY_LENGTH);
            out = append(out, StunAttributeType.MESSAGE_INTEGRITY, hmacSha1(integrityKey, out, out.length));
        }
        if (fingerprint) {
            out = withLength(out, out.length - HEADER_LENGTH + 8);
            out = append(out, StunAttributeType.FINGERPRINT, ByteBuffer.allocate(4).putInt(crc(out, out.length)).array());
        }
        return out;
    }

    /** True if the bytes start like a STUN message: two zero bits and the magic cookie. */
    public static boolean looksLikeStun(ByteBuffer datagram) {
        int p = datagram.position();
        return datagram.remaining() >= HEADER_LENGTH && (datagram.get(p) & 0xC0) == 0
                && datagram.getInt(p + 4) == MAGIC_COOKIE;
    }

    /** Decodes exactly one message filling {@code bytes}. */
    public static StunMessage decode(byte[] bytes) throws StunFormatException {
        if (bytes.length < HEADER_LENGTH) {
            throw new StunFormatException.Truncated("STUN message of " + bytes.length + " bytes, header needs 20");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int type = b.getShort() & 0xFFFF;
        int length = b.getShort() & 0xFFFF;
        if ((type & 0xC000) != 0 || b.getInt() != MAGIC_COOKIE) {
            throw new StunFormatException.BadCookie("not a STUN message: leading bits or magic cookie wrong");
        }
        if (length % 4 != 0) {
            throw new StunFormatException.BadLength("STUN length " + length + " is not a multiple of 4");
        }
        if (HEADER_LENGTH + length > bytes.length) {
            throw new StunFormatException.Truncated("STUN message declares " + length + " bytes, has "
                    + (bytes.length - HEADER_LENGTH));
        }
        if (HEADER_LENGTH + length < bytes.length) {
            throw new StunFormatException.BadLength("STUN message declares " + length + " bytes but "
                    + (bytes.length - HEADER_LENGTH) + " follow the header");
        }
        byte[] idBytes = new byte[TransactionId.LENGTH];
        b.get(idBytes);
        TransactionId id = new TransactionId(idBytes);
        List<StunAttribute> attributes = new ArrayList<>();
        boolean afterIntegrity = false;
        while (b.hasRemaining()) {
            int start = b.position();
            if (b.remaining() < 4) {
                throw new StunFormatException.Truncated("attribute header cut off at byte " + start);
            }
            int attrType = b.getShort() & 0xFFFF;
            int attrLength = b.getShort() & 0xFFFF;
            int padded = (attrLength + 3) & ~3;
            if (padded > b.remaining()) {
                throw new StunFormatException.BadLength(String.format(
                        "attribute 0x%04x of %d bytes overruns the message at byte %d", attrType, attrLength, start));
            }
            byte[] value = new byte[attrLength];
            b.get(value);
            b.position(b.position() + padded - attrLength);
            if (attrType == StunAttributeType.FINGERPRINT) {
                requireFingerprint(bytes, start, value, b.hasRemaining());
            } else if (afterIntegrity) {
                continue; // RFC 8489 §14.5: attributes after MESSAGE-INTEGRITY are ignored
            }
            attributes.add(StunAttributeCodec.decodeValue(attrType, value, id));
            afterIntegrity |= attrType == StunAttributeType.MESSAGE_INTEGRITY;
        }
        return new StunMessage(StunMessage.classOf(type), StunMessage.methodOf(type), id, attributes);
    }

    /**
     * Checks MESSAGE-INTEGRITY of a received message against {@code key}.
     *
     * @throws StunFormatException.IntegrityMismatch if the attribute is missing or does not match
     */
    public static void verifyIntegrity(byte[] bytes, byte[] key) throws StunFormatException {
        int offset = HEADER_LENGTH;
        while (offset + 4 <= bytes.length) {
            int attrType = ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
            int attrLength = ((bytes[offset + 2] & 0xFF) << 8) | (bytes[offset + 3] & 0xFF);
            if (attrType == StunAttributeType.MESSAGE_INTEGRITY && attrLength == INTEGRITY_LENGTH
                    && offset + 4 + INTEGRITY_LENGTH <= bytes.length) {
                byte[] covered = withLength(Arrays.copyOf(bytes, offset), offset - HEADER_LENGTH + 4 + INTEGRITY_LENGTH);
                byte[] expected = hmacSha1(key, covered, covered.length);
                byte[] actual = Arrays.copyOfRange(bytes, offset + 4, offset + 4 + INTEGRITY_LENGTH);
                if (!MessageDigest.isEqual(expected, actual)) {
                    throw new StunFormatException.IntegrityMismatch(
                            "MESSAGE-INTEGRITY does not match: wrong credentials or a tampered message");
                }
                return;
            }
            offset += 4 + ((attrLength + 3) & ~3);
        }
        throw new StunFormatException.IntegrityMismatch("message has no MESSAGE-INTEGRITY attribute");
    }

    private static void requireFingerprint(byte[] bytes, int start, byte[] value, boolean notLast)
            throws StunFormatException {
        if (notLast) {
            throw new StunFormatException.BadFingerprint("FINGERPRINT is not the last attribute");
        }
        if (value.length != 4) {
            throw new StunFormatException.BadLength("FINGERPRINT of " + value.length + " bytes");
        }
        if (ByteBuffer.wrap(value).getInt() != crc(bytes, start)) {
            throw new StunFormatException.BadFingerprint("FINGERPRINT does not match the message");
        }
    }

    private static byte[] withHeader(StunMessage m, byte[] body, int extra) {
        return ByteBuffer.allocate(HEADER_LENGTH + body.length).putShort((short) m.messageType())
                .putShort((short) (body.length + extra)).putInt(MAGIC_COOKIE).put(m.transactionId().bytes())
                .put(body).array();
    }

    private static byte[] withLength(byte[] message, int length) {
        ByteBuffer.wrap(message).putShort(2, (short) length);
        return message;
    }

    private static byte[] append(byte[] message, int type, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 4 + value.length);
        out.writeBytes(message);
        writeAttribute(out, type, value);
        return out.toByteArray();
    }

    private static void writeAttribute(ByteArrayOutputStream out, int type, byte[] value) {
        writeAttribute(out, type, value, (byte) 0);
    }

    private static void writeAttribute(ByteArrayOutputStream out, int type, byte[] value, byte padding) {
        if (value.length > 0xFFFF) {
            throw new IllegalArgumentException("attribute value longer than 65535 bytes");
        }
        out.write(type >>> 8);
        out.write(type);
        out.write(value.length >>> 8);
        out.write(value.length);
        out.writeBytes(value);
        for (int i = value.length % 4; i % 4 != 0; i++) {
            out.write(padding);
        }
    }

    private static int crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }

    static byte[] hmacSha1(byte[] key, byte[] bytes, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(bytes, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required of every JDK", e);
        }
    }
}
