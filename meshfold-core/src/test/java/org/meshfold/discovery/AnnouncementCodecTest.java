package org.meshfold.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.clock.ManualClock;
import org.meshfold.discovery.InvalidAnnouncementException.Reason;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;

class AnnouncementCodecTest {
    private static final Instant ISSUED = Instant.parse("2025-01-01T00:00:00Z");
    private static final HexFormat HEX = HexFormat.of();
    /** Built independently (Python "cryptography") from RFC 8032 test key 1. */
    private static final String EXPECTED_UNSIGNED = "4d464441" + "01"
            + "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
            + "06e3fd8fda29bb60ab59557de61edb0aecdb231134be30e75b455f8e1b792fa9"
            + "0102030405060708" + "000001941f297c00" + "03"
            + "04c000020a55f0" + "0620010db800000000000000000000000155f0" + "040000000055f1";
    private static final String EXPECTED_SIGNATURE = "f4f8ca075398c38bde94f653a6546ade05ed428791febd1875d512a18e79dbea"
            + "6b8c28f70512c4a5c1bc4ee99ec6cfa00f8329d69d898ef70a797c89777e870e";

    @TempDir
    java.nio.file.Path dir;

    private final ManualClock clock = new ManualClock(ISSUED.toEpochMilli());
    private final AnnouncementCodec codec = new AnnouncementCodec(clock, Duration.ofMinutes(5));
    private DeviceIdentity fixed;

    @BeforeEach
    void setUp() {
        fixed = TestIdentities.fromSeed(dir, TestIdentities.RFC8032_SEED);
    }

    private Announcement sample(DeviceIdentity who) throws Exception {
        return new Announcement(who.deviceId(), List.of(
                new InetSocketAddress(InetAddress.getByName("192.0.2.10"), 22000),
                new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 22000),
                new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 22001)), 0x0102030405060708L, ISSUED);
    }

    private Reason rejection(byte[] packet) {
        try {
            codec.decode(ByteBuffer.wrap(packet));
        } catch (InvalidAnnouncementException e) {
            return e.reason();
        }
        throw new AssertionError("packet was accepted");
    }

    @Test
    void encode_fixedKey_exactBytes() throws Exception {
        byte[] packet = codec.encode(sample(fixed), fixed);

        assertThat(HEX.formatHex(packet)).isEqualTo(EXPECTED_UNSIGNED + EXPECTED_SIGNATURE);
        assertThat(packet).hasSize(183);
    }

    @Test
    void decode_encoded_roundTrips() throws Exception {
        Announcement a = sample(fixed);

        assertThat(codec.decode(ByteBuffer.wrap(codec.encode(a, fixed)))).isEqualTo(a);
    }

    @Test
    void decode_independentlyBuiltPacket_accepted() throws Exception {
        byte[] packet = HEX.parseHex(EXPECTED_UNSIGNED + EXPECTED_SIGNATURE);

        assertThat(codec.decode(ByteBuffer.wrap(packet))).isEqualTo(sample(fixed));
    }

    @Test
    void decode_maximalAnnouncement_fitsOneDatagram() throws Exception {
        var addresses = java.util.stream.IntStream.range(0, Announcement.MAX_ADDRESSES)
                .mapToObj(i -> new InetSocketAddress("2001:db8::" + (i + 1), 22000 + i)).toList();
        Announcement a = new Announcement(fixed.deviceId(), addresses, 7, ISSUED);

        byte[] packet = codec.encode(a, fixed);

        assertThat(packet.length).isEqualTo(454).isLessThanOrEqualTo(AnnouncementCodec.MAX_PACKET_BYTES);
        assertThat(codec.decode(ByteBuffer.wrap(packet))).isEqualTo(a);
    }

    @Test
    void decode_anySignedByteFlipped_rejected() throws Exception {
        byte[] packet = codec.encode(sample(fixed), fixed);

        for (int i = 0; i < packet.length; i++) {
            byte[] tampered = packet.clone();
            tampered[i] ^= 0x01;
            Reason reason = rejection(tampered);
            if (i >= 5 + 32 + 32 + 8 && i < 5 + 32 + 32 + 16) {
                // The issue time: a flipped low bit moves it by at most a few ms... or years for high bytes.
                assertThat(reason).as("byte %d", i).isIn(Reason.BAD_SIGNATURE, Reason.TOO_OLD, Reason.IN_FUTURE);
            } else if (i >= 5 && i < 69) {
                // The key or the id: they no longer match (or the key is no curve point).
                assertThat(reason).as("byte %d", i).isIn(Reason.ID_MISMATCH, Reason.BAD_SIGNATURE);
            } else if (i >= 69 && i < 77 || i >= packet.length - 64) {
                assertThat(reason).as("byte %d", i).isEqualTo(Reason.BAD_SIGNATURE);
            } else {
                assertThat(reason).as("byte %d", i).isNotNull();
            }
        }
    }

    @Test
    void decode_addressTampered_badSignature() throws Exception {
        byte[] packet = codec.encode(sample(fixed), fixed);
        packet[90] ^= 0x01; // inside the first address

        assertThat(rejection(packet)).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void decode_issuedTamperedWithinWindow_badSignature() throws Exception {
        byte[] packet = codec.encode(sample(fixed), fixed);
        packet[84] ^= 0x01; // lowest byte of the issue time: 1 ms later

        assertThat(rejection(packet)).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void decode_idClaimedWithOwnKey_idMismatch() throws Exception {
        DeviceIdentity attacker = TestIdentities.create(dir, "attacker");
        byte[] packet = codec.encode(sample(attacker), attacker);
        // Claim the victim's id and sign that with the attacker's own key: a valid signature, a wrong id.
        System.arraycopy(fixed.deviceId().bytes(), 0, packet, 37, DeviceId.LENGTH);
        resign(packet, attacker);

        assertThat(rejection(packet)).isEqualTo(Reason.ID_MISMATCH);
    }

    @Test
    void decode_keyAndIdSwappedToAnotherDevice_badSignature() throws Exception {
        DeviceIdentity other = TestIdentities.create(dir, "other");
        byte[] packet = codec.encode(sample(fixed), fixed);
        System.arraycopy(AnnouncementCodec.rawKey(other.publicKey()), 0, packet, 5, 32);
        System.arraycopy(other.deviceId().bytes(), 0, packet, 37, DeviceId.LENGTH);

        assertThat(rejection(packet)).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void decode_staleOrFuture_rejectedByTime() throws Exception {
        byte[] packet = codec.encode(sample(fixed), fixed);

        clock.counter().set(ISSUED.plus(Duration.ofMinutes(5)).toEpochMilli());
        assertThat(codec.decode(ByteBuffer.wrap(packet)).issued()).isEqualTo(ISSUED);
        clock.counter().set(ISSUED.plus(Duration.ofMinutes(5)).toEpochMilli() + 1);
        assertThat(rejection(packet)).isEqualTo(Reason.TOO_OLD);
        clock.counter().set(ISSUED.minus(Duration.ofMinutes(5)).toEpochMilli() - 1);
        assertThat(rejection(packet)).isEqualTo(Reason.IN_FUTURE);
    }

    @Test
    void decode_otherProtocol_badMagic() {
        assertThat(rejection("SSDP NOTIFY * HTTP/1.1".getBytes())).isEqualTo(Reason.BAD_MAGIC);
        assertThat(rejection(new byte[] {'M', 'X'})).isEqualTo(Reason.BAD_MAGIC);
    }

    @Test
    void decode_otherVersion_unsupported() throws Exception {
        byte[] packet = codec.encode(sample(fixed), fixed);
        packet[4] = 2;

        assertThat(rejection(packet)).isEqualTo(Reason.UNSUPPORTED_VERSION);
    }

    @Test
    void decode_everyPrefix_truncated() throws Exception {
        byte[] packet = codec.encode(sample(fixed), fixed);

        for (int n = 0; n < packet.length; n++) {
            assertThat(rejection(Arrays.copyOf(packet, n))).as("first %d bytes", n).isEqualTo(Reason.TRUNCATED);
        }
    }

    @Test
    void decode_trailingBytes_malformed() throws Exception {
        byte[] packet = codec.encode(sample(fixed), fixed);

        assertThat(rejection(Arrays.copyOf(packet, packet.length + 1))).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void decode_moreThan1200Bytes_tooLarge() throws Exception {
        byte[] packet = Arrays.copyOf(codec.encode(sample(fixed), fixed), AnnouncementCodec.MAX_PACKET_BYTES + 1);

        assertThat(rejection(packet)).isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void decode_tooManyAddresses_malformed() throws Exception {
        byte[] packet = codec.encode(sample(fixed), fixed);
        packet[85] = 17;

        assertThat(rejection(packet)).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void decode_unknownFamilyOrPortZero_malformed() throws Exception {
        byte[] family = codec.encode(sample(fixed), fixed);
        family[86] = 5;
        byte[] port = codec.encode(sample(fixed), fixed);
        port[91] = 0;
        port[92] = 0;

        assertThat(rejection(family)).isEqualTo(Reason.MALFORMED);
        assertThat(rejection(port)).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void encode_anotherDevicesAnnouncement_refused() throws Exception {
        DeviceIdentity other = TestIdentities.create(dir, "other");

        assertThatThrownBy(() -> codec.encode(sample(other), fixed)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot sign");
    }

    @Test
    void announcement_badAddresses_refused() {
        var tooMany = java.util.Collections.nCopies(17, new InetSocketAddress("127.0.0.1", 1));

        assertThatThrownBy(() -> new Announcement(fixed.deviceId(), tooMany, 1, ISSUED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Announcement(fixed.deviceId(),
                List.of(new InetSocketAddress("127.0.0.1", 0)), 1, ISSUED))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Replaces the trailing signature by {@code signer}'s signature over the bytes before it. */
    static void resign(byte[] packet, DeviceIdentity signer) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(signer.privateKey());
        s.update(packet, 0, packet.length - 64);
        System.arraycopy(s.sign(), 0, packet, packet.length - 64, 64);
    }
}
