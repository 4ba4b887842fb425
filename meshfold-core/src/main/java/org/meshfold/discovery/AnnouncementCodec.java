package org.meshfold.discovery;

import static org.meshfold.discovery.InvalidAnnouncementException.Reason.BAD_MAGIC;
import static org.meshfold.discovery.InvalidAnnouncementException.Reason.BAD_SIGNATURE;
import static org.meshfold.discovery.InvalidAnnouncementException.Reason.ID_MISMATCH;
import static org.meshfold.discovery.InvalidAnnouncementException.Reason.IN_FUTURE;
import static org.meshfold.discovery.InvalidAnnouncementException.Reason.MALFORMED;
import static org.meshfold.discovery.InvalidAnnouncementException.Reason.TOO_LARGE;
import static org.meshfold.discovery.InvalidAnnouncementException.Reason.TOO_OLD;
import static org.meshfold.discovery.InvalidAnnouncementException.Reason.TRUNCATED;
import static org.meshfold.discovery.InvalidAnnouncementException.Reason.UNSUPPORTED_VERSION;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;

/**
 * The signed binary form of an {@link Announcement}, version 1. All integers big-endian:
 *
 * <pre>
 *  0  magic "MFDA" (4)         4  version = 1 (1)        5  Ed25519 public key, raw (32)
 * 37  device id (32)          69  instance id (8)       77  issued, epoch millis (8)
 * 85  address count n (1, at most 16)
 * 86  n addresses: family (1: 4 or 6), address (4 or 16), port (2)
 *     Ed25519 signature over every byte before it (64)
 * </pre>
 *
 * At most 454 bytes, well under {@link #MAX_PACKET_BYTES}, so one datagram never fragments. The
 * magic keeps the signed bytes apart from what the same key signs in TLS (a CertificateVerify
 * starts with 64 spaces, a certificate with a DER SEQUENCE). The receiver trusts nothing before
 * the signature verifies with the carried key, and that key hashes to the carried device id.
 * Cheap checks come first, so a flood of junk costs no signature verifications. Thread-safe.
 */
final class AnnouncementCodec {
    static final int MAX_PACKET_BYTES = 1200;
    static final int VERSION = 1;
    private static final byte[] MAGIC = {'M', 'F', 'D', 'A'};
    private static final int KEY_BYTES = 32;
    private static final int SIGNATURE_BYTES = 64;
    private static final int HEADER_BYTES = 4 + 1 + KEY_BYTES + DeviceId.LENGTH + 8 + 8 + 1;
    /** X.509 SubjectPublicKeyInfo prefix of every Ed25519 key (RFC 8410): the raw key follows it. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final Clock clock;
    private final Duration maxSkew;

    /**
     * @param clock   the receiver's wall clock
     * @param maxSkew how far an announcement's issue time may lie from {@code clock} either way
     */
    AnnouncementCodec(Clock clock, Duration maxSkew) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxSkew = Objects.requireNonNull(maxSkew, "maxSkew");
    }

    /** Encodes and signs {@code announcement}, which must be about {@code signer}'s own device. */
    byte[] encode(Announcement announcement, DeviceIdentity signer) {
        if (!announcement.device().equals(signer.deviceId())) {
            throw new IllegalArgumentException("device " + signer.deviceId() + " cannot sign an announcement of "
                    + announcement.device());
        }
        ByteBuffer out = ByteBuffer.allocate(MAX_PACKET_BYTES);
        out.put(MAGIC).put((byte) VERSION).put(rawKey(signer.publicKey())).put(announcement.device().bytes())
                .putLong(announcement.instanceId()).putLong(announcement.issued().toEpochMilli())
                .put((byte) announcement.addresses().size());
        for (InetSocketAddress a : announcement.addresses()) {
            byte[] ip = a.getAddress().getAddress();
            out.put((byte) (ip.length == 4 ? 4 : 6)).put(ip).putShort((short) a.getPort());
        }
        out.put(sign(signer.privateKey(), out.array(), out.position()));
        return Arrays.copyOf(out.array(), out.position());
    }

    /**
     * Parses and verifies one datagram.
     *
     * @throws InvalidAnnouncementException naming the first rule the packet breaks
     */
    Announcement decode(ByteBuffer packet) throws InvalidAnnouncementException {
        ByteBuffer in = packet.slice();
        int length = in.remaining();
        if (length > MAX_PACKET_BYTES) {
            throw new InvalidAnnouncementException(TOO_LARGE, length + " bytes, more than " + MAX_PACKET_BYTES);
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (i >= length) {
                throw new InvalidAnnouncementException(TRUNCATED, "ends inside the magic after " + length + " bytes");
            }
            if (in.get(i) != MAGIC[i]) {
                throw new InvalidAnnouncementException(BAD_MAGIC, "not a meshfold announcement");
            }
        }
        if (length == MAGIC.length) {
            throw new InvalidAnnouncementException(TRUNCATED, "ends after the magic");
        }
        if (in.get(MAGIC.length) != VERSION) {
            throw new InvalidAnnouncementException(UNSUPPORTED_VERSION, "format version "
                    + (in.get(MAGIC.length) & 0xff) + ", this build reads " + VERSION);
        }
        try {
            return verify(in, length);
        } catch (BufferUnderflowException e) {
            throw new InvalidAnnouncementException(TRUNCATED, "ends after " + length + " bytes inside a field");
        }
    }

    private Announcement verify(ByteBuffer in, int length) throws InvalidAnnouncementException {
        in.position(MAGIC.length + 1);
        byte[] rawKey = take(in, KEY_BYTES);
        DeviceId device = DeviceId.of(take(in, DeviceId.LENGTH));
        long instanceId = in.getLong();
        Instant issued = Instant.ofEpochMilli(in.getLong());
        int count = in.get() & 0xff;
        if (count > Announcement.MAX_ADDRESSES) {
            throw new InvalidAnnouncementException(MALFORMED, count + " addresses, at most "
                    + Announcement.MAX_ADDRESSES + " allowed");
        }
        List<InetSocketAddress> addresses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            addresses.add(address(in));
        }
        int signed = in.position();
        byte[] signature = take(in, SIGNATURE_BYTES);
        if (in.hasRemaining()) {
            throw new InvalidAnnouncementException(MALFORMED, in.remaining() + " bytes after the signature");
        }
        PublicKey key = publicKey(rawKey);
        if (!DeviceId.of(key).equals(device)) {
            throw new InvalidAnnouncementException(ID_MISMATCH, "claims device " + device.shortText()
                    + " but carries the key of " + DeviceId.of(key).shortText());
        }
        checkTime(device, issued);
        byte[] bytes = new byte[signed];
        in.get(0, bytes);
        if (!verifies(key, bytes, signature)) {
            throw new InvalidAnnouncementException(BAD_SIGNATURE, "signature of device " + device.shortText()
                    + " does not verify");
        }
        return new Announcement(device, addresses, instanceId, issued);
    }

    private static InetSocketAddress address(ByteBuffer in) throws InvalidAnnouncementException {
        int family = in.get();
        byte[] ip = switch (family) {
            case 4 -> take(in, 4);
            case 6 -> take(in, 16);
            default -> throw new InvalidAnnouncementException(MALFORMED, "unknown address family " + family);
        };
        int port = in.getShort() & 0xffff;
        if (port == 0) {
            throw new InvalidAnnouncementException(MALFORMED, "address with port 0");
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4 or 16 byte address is always valid", e);
        }
    }

    private void checkTime(DeviceId device, Instant issued) throws InvalidAnnouncementException {
        Instant now = clock.instant();
        if (issued.isBefore(now.minus(maxSkew))) {
            throw new InvalidAnnouncementException(TOO_OLD, "announcement of device " + device.shortText()
                    + " issued at " + issued + ", more than " + maxSkew + " before " + now
                    + " (replayed, or that device's clock is wrong)");
        }
        if (issued.isAfter(now.plus(maxSkew))) {
            throw new InvalidAnnouncementException(IN_FUTURE, "announcement of device " + device.shortText()
                    + " issued at " + issued + ", more than " + maxSkew + " after " + now
                    + " (one of the two clocks is wrong)");
        }
    }

    private static byte[] take(ByteBuffer in, int n) {
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    static byte[] rawKey(PublicKey key) {
        byte[] spki = key.getEncoded();
        if (spki.length != ED25519_SPKI_PREFIX.length + KEY_BYTES
                || !Arrays.equals(spki, 0, ED25519_SPKI_PREFIX.length, ED25519_SPKI_PREFIX, 0,
                        ED25519_SPKI_PREFIX.length)) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
        }
        return Arrays.copyOfRange(spki, ED25519_SPKI_PREFIX.length, spki.length);
    }

    private static PublicKey publicKey(byte[] raw) throws InvalidAnnouncementException {
        byte[] spki = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + KEY_BYTES);
        System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, KEY_BYTES);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw new InvalidAnnouncementException(BAD_SIGNATURE, "the carried key is not an Ed25519 key", e);
        }
    }

    private static byte[] sign(PrivateKey key, byte[] data, int length) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(data, 0, length);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign an announcement with the device key", e);
        }
    }

    private static boolean verifies(PublicKey key, byte[] data, byte[] signature) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            // An invalid curve point surfaces here rather than when the key is built.
            return false;
        }
    }
}
