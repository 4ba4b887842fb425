package org.meshfold.discovery.rendezvous;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.meshfold.discovery.rendezvous.pb.RecordBody;
import org.meshfold.discovery.rendezvous.pb.SignedRecord;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;

/**
 * Signs and verifies {@link AddressRecord}s. The signature covers a fixed context string and the
 * exact body bytes (no re-serialization, so no canonical form is needed); the context keeps these
 * signatures apart from anything else the device key signs (TLS, LAN announcements). Verification
 * trusts nothing before the carried key hashes to the claimed device id and the signature checks
 * out. Both the server (on Register) and the device (on a lookup answer) verify. Thread-safe.
 */
public final class SignedRecords {
    /** Upper bound on a serialized body: 16 IPv6 addresses take about 400 bytes. */
    public static final int MAX_BODY_BYTES = 1024;
    private static final byte[] CONTEXT = "meshfold-rendezvous-record-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final int KEY_BYTES = 32;

    private SignedRecords() {
    }

    /** Encodes and signs {@code record}, which must be about {@code signer}'s own device. */
    public static SignedRecord sign(AddressRecord record, DeviceIdentity signer) {
        if (!record.device().equals(signer.deviceId())) {
            throw new IllegalArgumentException("device " + signer.deviceId() + " cannot sign the record of " + record.device());
        }
        byte[] body = RecordBody.newBuilder()
                .setDeviceId(ByteString.copyFrom(record.device().bytes()))
                .addAllAddresses(WireAddresses.toWire(record.addresses()))
                .setExpiresMillis(record.expires().toEpochMilli())
                .build().toByteArray();
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(signer.privateKey());
            s.update(CONTEXT);
            s.update(body);
            return SignedRecord.newBuilder().setBody(ByteString.copyFrom(body))
                    .setPublicKey(ByteString.copyFrom(rawKey(signer.publicKey())))
                    .setSignature(ByteString.copyFrom(s.sign())).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign an address record with the device key", e);
        }
    }

    /**
     * The record, if it is well-formed, signed by the key of the device it names, and not expired
     * at {@code now}.
     *
     * @throws InvalidRecordException naming the first check that failed
     */
    public static AddressRecord verify(SignedRecord signed, Instant now) throws InvalidRecordException {
        if (signed.getBody().size() > MAX_BODY_BYTES) {
            throw new InvalidRecordException("record body of " + signed.getBody().size() + " bytes exceeds "
                    + MAX_BODY_BYTES);
        }
        RecordBody body;
        try {
            body = RecordBody.parseFrom(signed.getBody());
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidRecordException("record body is not a valid RecordBody: " + e.getMessage(), e);
        }
        if (body.getDeviceId().size() != DeviceId.LENGTH) {
            throw new InvalidRecordException("record names a device id of " + body.getDeviceId().size() + " bytes");
        }
        DeviceId device = DeviceId.of(body.getDeviceId().toByteArray());
        PublicKey key = publicKey(signed.getPublicKey().toByteArray());
        DeviceId keyOwner = DeviceId.of(key);
        if (!keyOwner.equals(device)) {
            throw new InvalidRecordException("record claims device " + device + " but carries the key of " + keyOwner);
        }
        if (!verifies(key, signed.getBody().toByteArray(), signed.getSignature().toByteArray())) {
            throw new InvalidRecordException("signature of the record of device " + device + " does not verify");
        }
        Instant expires = Instant.ofEpochMilli(body.getExpiresMillis());
        if (!expires.isAfter(now)) {
            throw new InvalidRecordException("record of device " + device + " expired at " + expires);
        }
        try {
            return new AddressRecord(device, WireAddresses.fromWire(body.getAddressesList()), expires);
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException("record of device " + device + " is malformed: " + e.getMessage(), e);
        }
    }

    /** As {@link #verify(SignedRecord, Instant)}, and the record must be about {@code expected}. */
    public static AddressRecord verify(SignedRecord signed, DeviceId expected, Instant now) throws InvalidRecordException {
        AddressRecord record = verify(signed, now);
        if (!record.device().equals(expected)) {
            throw new InvalidRecordException("asked for the record of device " + expected + " but got one of "
                    + record.device());
        }
        return record;
    }

    private static byte[] rawKey(PublicKey key) {
        byte[] spki = key.getEncoded();
        if (spki.length != ED25519_SPKI_PREFIX.length + KEY_BYTES
                || !Arrays.equals(spki, 0, ED25519_SPKI_PREFIX.length, ED25519_SPKI_PREFIX, 0, ED25519_SPKI_PREFIX.length)) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
        }
        return Arrays.copyOfRange(spki, ED25519_SPKI_PREFIX.length, spki.length);
    }

    private static PublicKey publicKey(byte[] raw) throws InvalidRecordException {
        if (raw.length != KEY_BYTES) {
            throw new InvalidRecordException("record key of " + raw.length + " bytes, expected " + KEY_BYTES);
        }
        byte[] spki = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + KEY_BYTES);
        System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, KEY_BYTES);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw new InvalidRecordException("record key is not an Ed25519 key", e);
        }
    }

    private static boolean verifies(PublicKey key, byte[] body, byte[] signature) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(CONTEXT);
            s.update(body);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            // An invalid curve point surfaces here rather than when the key is built.
            return false;
        }
    }
}
