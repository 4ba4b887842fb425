package org.meshfold.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact bytes, including the RFC 5769 test vectors, and hostile input. */
class StunCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    /** RFC 5769 §2.1: sample request with short-term credentials, padded with spaces. */
    private static final byte[] SAMPLE_REQUEST = HEX.parseHex(
            "000100582112a442b7e7a701bc34d686fa87dfae"
            + "802200105354554e207465737420636c69656e74"
            + "002400046e0001ff"
            + "80290008932ff9b151263b36"
            + "000600096576746a3a68367659202020"
            + "000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"
            + "80280004e57a3bcf");
    private static final byte[] SHORT_TERM_PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);

    /** RFC 5769 §2.2: sample IPv4 response, XOR-MAPPED-ADDRESS 192.0.2.1:32853. */
    private static final byte[] SAMPLE_IPV4_RESPONSE = HEX.parseHex(
            "0101003c2112a442b7e7a701bc34d686fa87dfae"
            + "8022000b7465737420766563746f7220"
            + "002000080001a147e112a643"
            + "000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7"
            + "80280004c07d4c96");

    /** RFC 5769 §2.3: sample IPv6 response, XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853. */
    private static final byte[] SAMPLE_IPV6_RESPONSE = HEX.parseHex(
            "010100482112a442b7e7a701bc34d686fa87dfae"
            + "8022000b7465737420766563746f7220"
            + "002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d9"
            + "00080014a382954e4be67bf11784c97c8292c275bfe3ed41"
            + "80280004c8fb0b4c");

    /** RFC 5769 §2.4: request with long-term credentials (username "マトリックス", realm example.org). */
    private static final byte[] LONG_TERM_REQUEST = HEX.parseHex(
            "000100602112a44278ad3433c6ad72c029da412e"
            + "00060012e3839ee38388e383aae38383e382afe382b90000"
            + "0015001c662f2f3439396b39353464364f4c33346f4c39465354767936347341"
            + "0014000b6578616d706c652e6f726700"
            + "00080014f67024656dd64a3e02b8e0712e85c9a28ca89666");

    @Test
    void decode_rfc5769SampleRequest_verifiesIntegrityAndFingerprint() throws Exception {
        StunMessage m = StunCodec.decode(SAMPLE_REQUEST);

        assertThat(m.messageClass()).isEqualTo(StunClass.REQUEST);
        assertThat(m.method()).isEqualTo(StunMethod.BINDING);
        assertThat(m.transactionId().toString()).isEqualTo("b7e7a701bc34d686fa87dfae");
        assertThat(m.text(StunAttributeType.SOFTWARE)).contains("STUN test client");
        assertThat(m.text(StunAttributeType.USERNAME)).contains("evtj:h6vY");
        StunCodec.verifyIntegrity(SAMPLE_REQUEST, SHORT_TERM_PASSWORD);
    }

    @Test
    void decode_rfc5769Ipv4Response_givesMappedAddress() throws Exception {
        StunMessage m = StunCodec.decode(SAMPLE_IPV4_RESPONSE);

        assertThat(m.messageClass()).isEqualTo(StunClass.SUCCESS);
        assertThat(m.address(StunAttributeType.XOR_MAPPED_ADDRESS))
                .contains(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
        assertThat(m.text(StunAttributeType.SOFTWARE)).contains("test vector");
        StunCodec.verifyIntegrity(SAMPLE_IPV4_RESPONSE, SHORT_TERM_PASSWORD);
    }

    @Test
    void decode_rfc5769Ipv6Response_givesMappedAddress() throws Exception {
        StunMessage m = StunCodec.decode(SAMPLE_IPV6_RESPONSE);

        assertThat(m.address(StunAttributeType.XOR_MAPPED_ADDRESS)).contains(new InetSocketAddress(
                InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853));
        StunCodec.verifyIntegrity(SAMPLE_IPV6_RESPONSE, SHORT_TERM_PASSWORD);
    }

    @Test
    void encode_rfc5769Vectors_exactBytes() throws Exception {
        for (byte[] vector : List.of(SAMPLE_REQUEST, SAMPLE_IPV4_RESPONSE, SAMPLE_IPV6_RESPONSE)) {
            StunMessage decoded = StunCodec.decode(vector);
            List<StunAttribute> attributes = decoded.attributes();
            StunMessage plain = new StunMessage(decoded.messageClass(), decoded.method(), decoded.transactionId(),
                    attributes.subList(0, attributes.size() - 2)); // without MESSAGE-INTEGRITY, FINGERPRINT

            byte[] encoded = StunCodec.encode(plain, SHORT_TERM_PASSWORD, true, (byte) ' ');

            assertThat(HEX.formatHex(encoded)).isEqualTo(HEX.formatHex(vector));
        }
    }

    @Test
    void encode_rfc5769LongTermRequest_exactBytes() throws Exception {
        TurnCredentials credentials = new TurnCredentials("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9", "TheMatrIX");
        TransactionId id = new TransactionId(HEX.parseHex("78ad3433c6ad72c029da412e"));
        StunMessage m = new StunMessage(StunClass.REQUEST, StunMethod.BINDING, id, List.of(
                new TextAttribute(StunAttributeType.USERNAME, credentials.username()),
                new TextAttribute(StunAttributeType.NONCE, "f//499k954d6OL34oL9FSTvy64sA"),
                new TextAttribute(StunAttributeType.REALM, "example.org")));

        byte[] encoded = StunCodec.encode(m, credentials.key("example.org"), false);

        assertThat(HEX.formatHex(encoded)).isEqualTo(HEX.formatHex(LONG_TERM_REQUEST));
        assertThat(StunCodec.decode(encoded).text(StunAttributeType.USERNAME)).contains(credentials.username());
    }


    @Test
    void encode_turnAttributes_roundTrip() throws Exception {
        TransactionId id = new TransactionId(HEX.parseHex("0102030405060708090a0b0c"));
        StunMessage m = new StunMessage(StunClass.ERROR, StunMethod.CHANNEL_BIND, id, List.of(
                new AddressAttribute(StunAttributeType.XOR_PEER_ADDRESS,
                        new InetSocketAddress(InetAddress.getByName("::1"), 4242)),
                new AddressAttribute(StunAttributeType.XOR_RELAYED_ADDRESS,
                        new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 50000)),
                new AddressAttribute(StunAttributeType.MAPPED_ADDRESS,
                        new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 1)),
                new NumberAttribute(StunAttributeType.CHANNEL_NUMBER, 0x4001),
                new NumberAttribute(StunAttributeType.LIFETIME, 0xFFFF_FFFFL),
                new NumberAttribute(StunAttributeType.REQUESTED_TRANSPORT, NumberAttribute.UDP),
                new BytesAttribute(StunAttributeType.DATA, new byte[] {1, 2, 3, 4, 5}),
                new ErrorCodeAttribute(438, "Stale Nonce"),
                new UnknownAttributesAttribute(List.of(0x0031, 0x7777, 0x0042)),
                new TextAttribute(StunAttributeType.REALM, "meshfold.test"),
                new TextAttribute(StunAttributeType.NONCE, "n0nce")));

        byte[] encoded = StunCodec.encode(m, new byte[] {9}, true);
        StunMessage decoded = StunCodec.decode(encoded);

        assertThat(decoded.attributes().subList(0, m.attributes().size())).isEqualTo(m.attributes());
        assertThat(decoded.messageClass()).isEqualTo(StunClass.ERROR);
        assertThat(decoded.method()).isEqualTo(StunMethod.CHANNEL_BIND);
        assertThat(StunMessage.methodOf(m.messageType())).isEqualTo(StunMethod.CHANNEL_BIND);
        assertThat(decoded.describe()).isEqualTo("ChannelBind error 438 (Stale Nonce)");
        StunCodec.verifyIntegrity(encoded, new byte[] {9});
    }

    @Test
    void encode_channelNumberAndTransport_exactBytes() {
        TransactionId id = new TransactionId(new byte[12]);
        StunMessage m = new StunMessage(StunClass.REQUEST, StunMethod.ALLOCATE, id, List.of(
                new NumberAttribute(StunAttributeType.REQUESTED_TRANSPORT, 17),
                new NumberAttribute(StunAttributeType.CHANNEL_NUMBER, 0x4000),
                new ErrorCodeAttribute(401, "U")));

        assertThat(HEX.formatHex(StunCodec.encode(m))).isEqualTo("0003001c2112a442" + "00".repeat(12)
                + "0019000411000000" + "000c000440000000" + "00090005000004015" + "5000000");
    }

    @Test
    void decode_truncatedHeader_throwsTruncated() {
        assertThatThrownBy(() -> StunCodec.decode(java.util.Arrays.copyOf(SAMPLE_REQUEST, 19)))
                .isInstanceOf(StunFormatException.Truncated.class);
    }

    @Test
    void decode_lengthBeyondDatagram_throwsTruncated() {
        assertThatThrownBy(() -> StunCodec.decode(java.util.Arrays.copyOf(SAMPLE_REQUEST, 40)))
                .isInstanceOf(StunFormatException.Truncated.class);
    }

    @Test
    void decode_badCookie_throwsBadCookie() {
        byte[] b = SAMPLE_REQUEST.clone();
        b[4] = 0x22;
        assertThatThrownBy(() -> StunCodec.decode(b)).isInstanceOf(StunFormatException.BadCookie.class);
        byte[] quic = SAMPLE_REQUEST.clone();
        quic[0] = (byte) 0xC0;
        assertThatThrownBy(() -> StunCodec.decode(quic)).isInstanceOf(StunFormatException.BadCookie.class);
    }

    @Test
    void decode_lengthNotMultipleOfFour_throwsBadLength() {
        byte[] b = java.util.Arrays.copyOf(SAMPLE_REQUEST, 20 + 0x5A);
        b[3] = 0x5A;
        assertThatThrownBy(() -> StunCodec.decode(b)).isInstanceOf(StunFormatException.BadLength.class);
    }

    @Test
    void decode_attributeOverrunsMessage_throwsBadLength() {
        byte[] b = SAMPLE_REQUEST.clone();
        b[20 + 3] = (byte) 0xF0; // SOFTWARE claims 240 bytes
        assertThatThrownBy(() -> StunCodec.decode(b)).isInstanceOf(StunFormatException.BadLength.class);
    }

    @Test
    void decode_flippedBit_throwsBadFingerprint() {
        byte[] b = SAMPLE_REQUEST.clone();
        b[30] ^= 1;
        assertThatThrownBy(() -> StunCodec.decode(b)).isInstanceOf(StunFormatException.BadFingerprint.class);
    }

    @Test
    void verifyIntegrity_wrongKey_throwsIntegrityMismatch() {
        assertThatThrownBy(() -> StunCodec.verifyIntegrity(SAMPLE_REQUEST, "wrong".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(StunFormatException.IntegrityMismatch.class);
        byte[] noIntegrity = StunCodec.encode(new StunMessage(StunClass.REQUEST, 1, new TransactionId(new byte[12]),
                List.of()));
        assertThatThrownBy(() -> StunCodec.verifyIntegrity(noIntegrity, SHORT_TERM_PASSWORD))
                .isInstanceOf(StunFormatException.IntegrityMismatch.class);
    }

    @Test
    void decode_badAddressFamily_throwsBadAttribute() {
        byte[] b = SAMPLE_IPV4_RESPONSE.clone();
        b[20 + 16 + 5] = 0x07; // family of XOR-MAPPED-ADDRESS
        assertThatThrownBy(() -> StunCodec.decode(java.util.Arrays.copyOf(b, b.length - 8 - 24)))
                .isInstanceOf(StunFormatException.class);
        byte[] c = java.util.Arrays.copyOf(b, b.length - 8 - 24);
        c[3] = (byte) (c.length - 20);
        assertThatThrownBy(() -> StunCodec.decode(c)).isInstanceOf(StunFormatException.BadAttribute.class);
    }
}
