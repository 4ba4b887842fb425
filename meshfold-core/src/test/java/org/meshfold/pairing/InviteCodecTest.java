package org.meshfold.pairing;

import org.meshfold.identity.Base32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshfold.clock.ManualClock;
import org.meshfold.pairing.InvalidInviteException.Reason;

class InviteCodecTest {
    private static final String ASK = "ask the other device for a new code with 'meshfold invite'";
    private final Clock beforeExpiry = Clock.fixed(Invites.EXPIRY.minusSeconds(60), ZoneOffset.UTC);

    @Test
    void encode_minimalInvite_pinnedText() {
        // The format is a contract between versions: this exact text must keep decoding.
        String code = InviteCodec.encode(Invites.minimal());

        assertThat(code).isEqualTo("mf1:AEAD2PR7IBAUEQ2EIVDEOSCJJJFUYTKOJ5IFCUSTKRKVMV2YLFNFWXC5UUAQCAIBAEAQCAIBAEAQCAIBAEAAAAAANG2"
                + "SZ4ABMYAAAAE4UHOJC");
    }

    @Test
    void decode_encoded_equalIncludingEveryField() throws Exception {
        Invite invite = Invites.full();

        Invite decoded = InviteCodec.decode(InviteCodec.encode(invite), beforeExpiry);

        assertThat(decoded).isEqualTo(invite);
        assertThat(decoded.secret()).isEqualTo(Invites.secret(7));
        assertThat(decoded.addresses()).containsExactlyElementsOf(invite.addresses());
        assertThat(decoded.rendezvousUrls()).containsExactly("https://rendezvous.example/r/abc");
        assertThat(decoded.folderLabel()).isEqualTo("Fotos ✓ 2026");
    }

    @Test
    void encode_anyInvite_prefixAndUpperCaseBase32Only() {
        assertThat(InviteCodec.encode(Invites.full())).matches("mf1:[A-Z2-7]+");
    }

    @Test
    void decode_largestInvite_roundTrips() throws Exception {
        List<java.net.InetSocketAddress> addresses = new ArrayList<>();
        for (int i = 0; i < Invite.MAX_ADDRESSES; i++) {
            addresses.add(Invites.address("2001:db8::" + (i + 1), 65535));
        }
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < Invite.MAX_URLS; i++) {
            urls.add("https://r" + i + ".example/" + "x".repeat(Invite.MAX_URL_BYTES - 19));
        }
        Invite big = new Invite(Invites.device(3), "é".repeat(32), "ü".repeat(32), addresses, urls,
                Invites.secret(3), Invites.EXPIRY);

        assertThat(InviteCodec.decode(InviteCodec.encode(big), beforeExpiry)).isEqualTo(big);
    }

    @Test
    void decode_lowerCaseWithLineBreaksAndSpaces_accepted() throws Exception {
        String code = InviteCodec.encode(Invites.full());
        StringBuilder messy = new StringBuilder("  ");
        for (int i = 0; i < code.length(); i += 20) {
            messy.append(code.toLowerCase(), i, Math.min(code.length(), i + 20)).append(i % 40 == 0 ? "\r\n" : " \t");
        }

        assertThat(InviteCodec.decode(messy.toString(), beforeExpiry)).isEqualTo(Invites.full());
    }

    @Test
    void decode_missingPrefix_notAnInvite() {
        String code = InviteCodec.encode(Invites.full());

        assertRejected(code.substring(4), Reason.NOT_AN_INVITE,
                "this is not a meshfold invite code (it should start with 'mf1:'); " + ASK);
        assertRejected("https://example.com/", Reason.NOT_AN_INVITE, "this is not a meshfold invite code");
        assertRejected("", Reason.NOT_AN_INVITE, "this is not a meshfold invite code");
    }

    @Test
    void decode_newerPrefix_unsupportedVersion() {
        assertRejected("mf2:AAAA", Reason.UNSUPPORTED_VERSION,
                "this invite code (mf2:) is from a newer meshfold; update meshfold on this device, or " + ASK);
    }

    @Test
    void decode_newerPayloadVersion_unsupportedVersion() {
        String code = Invites.code(2, Invites.body(InviteCodec.encode(Invites.full())));

        assertRejected(code, Reason.UNSUPPORTED_VERSION, "this invite code has payload format 2, which this "
                + "meshfold does not know; update meshfold on this device, or " + ASK);
    }

    @Test
    void decode_everyCutOff_truncated() {
        String code = InviteCodec.encode(Invites.full());
        int dataChars = code.length() - 4;

        assertRejected(code.substring(0, code.length() - 1), Reason.TRUNCATED, "the invite code is incomplete: it has "
                + (dataChars - 1) + " of " + dataChars + " characters after 'mf1:'; copy the whole code, or " + ASK);
        for (int end = 4; end < code.length(); end++) {
            assertRejected(code.substring(0, end), Reason.TRUNCATED, "incomplete");
        }
    }

    @Test
    void decode_everySingleTypo_detected() {
        String code = InviteCodec.encode(Invites.full());
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        for (int i = 4; i < code.length(); i++) {
            for (int shift = 1; shift < 32; shift += 5) {
                char replacement = alphabet.charAt((alphabet.indexOf(code.charAt(i)) + shift) % 32);
                String typo = code.substring(0, i) + replacement + code.substring(i + 1);
                var e = catchThrowableOfType(InvalidInviteException.class, () -> InviteCodec.decode(typo, beforeExpiry));
                assertThat(e).as("typo at %d", i).isNotNull();
                assertThat(e.reason()).as("typo at %d: %s", i, e.getMessage())
                        .isIn(Reason.CORRUPTED, Reason.TRUNCATED, Reason.UNSUPPORTED_VERSION);
            }
        }
    }

    @Test
    void decode_swappedNeighbours_corrupted() {
        String code = InviteCodec.encode(Invites.full());
        int swaps = 0;
        for (int i = 10; i < code.length() - 1; i++) {
            if (code.charAt(i) != code.charAt(i + 1)) {
                String swapped = code.substring(0, i) + code.charAt(i + 1) + code.charAt(i) + code.substring(i + 2);
                assertRejected(swapped, Reason.CORRUPTED, "the invite code was mistyped or altered (");
                swaps++;
            }
        }
        assertThat(swaps).isGreaterThan(50);
    }

    @Test
    void decode_swappedInTheMiddle_checkDoesNotMatch() {
        String code = InviteCodec.encode(Invites.full());
        String swapped = code.substring(0, 30) + code.charAt(31) + code.charAt(30) + code.substring(32);
        assertThat(swapped).isNotEqualTo(code);

        assertRejected(swapped, Reason.CORRUPTED,
                "the invite code was mistyped or altered (its check does not match); copy it again, or " + ASK);
    }

    @Test
    void decode_invalidCharacter_corruptedNamingIt() {
        String code = InviteCodec.encode(Invites.full());
        String bad = code.substring(0, 10) + "1" + code.substring(11);

        assertRejected(bad, Reason.CORRUPTED, "the invite code was mistyped or altered: character '1' at position 7 "
                + "is not a letter or a digit 2-7; copy it again, or " + ASK);
    }

    @Test
    void decode_extraCharacters_corrupted() {
        assertRejected(InviteCodec.encode(Invites.full()) + "AA", Reason.CORRUPTED, "2 characters too many");
    }

    @Test
    void decode_unusedBitsOfLastCharacterSet_corrupted() {
        String code = InviteCodec.encode(Invites.minimal());
        // 68 bytes = 544 bits: 108 characters and 4 bits of the 109th ('C'), whose lowest bit is unused.
        char last = code.charAt(code.length() - 1);
        String altered = code.substring(0, code.length() - 1) + (char) (last + 1);

        assertRejected(altered, Reason.CORRUPTED, "its last character is wrong");
    }

    @Test
    void decode_checkValidButBadFields_malformedNamingTheField() {
        byte[] good = Invites.body(InviteCodec.encode(Invites.minimal()));
        assertThat(Invites.code(InviteCodec.VERSION, good)).isEqualTo(InviteCodec.encode(Invites.minimal()));
        assertThat(good).hasSize(61);
        // minimal body: id 0..31, secret 32..47, expiry 48..55, folder length 56 and "f" 57,
        // label length 58, address count 59, URL count 60.
        assertMalformed(withByte(good, 56, 0xff), "a field runs past the end");
        assertMalformed(splice(good, 56, 2, 0), "folder id '' must be 1..64 UTF-8 bytes, got 0");
        assertMalformed(splice(good, 56, 2, 1, 0xC3), "folder id is not valid UTF-8");
        assertMalformed(splice(good, 56, 2, 1, 0x07), "folder id contains a control character");
        int[] longLabel = new int[66];
        java.util.Arrays.fill(longLabel, 'a');
        longLabel[0] = 65;
        assertMalformed(splice(good, 58, 1, longLabel), "folder label '" + "a".repeat(65) + "' must be 0..64 UTF-8 bytes");
        assertMalformed(withByte(good, 59, 17), "17 addresses (max 16)");
        assertMalformed(splice(good, 59, 1, 1, 5, 1, 2, 3, 4, 0, 80), "unknown address family 5");
        assertMalformed(splice(good, 59, 1, 1, 4, 1, 2, 3, 4, 0, 0), "address 1.2.3.4:0 is not an IP address with a port");
        assertMalformed(withByte(good, 60, 9), "9 rendezvous URLs (max 8)");
        assertMalformed(splice(good, 60, 1, 1, 1, 1), "rendezvous URL of 257 bytes (max 256)");
        assertMalformed(splice(good, 60, 1, 1, 0, 3, 'a', ' ', 'b'), "rendezvous URL 'a b' contains whitespace");
        assertMalformed(splice(good, 61, 0, 0), "1 unexpected bytes after the last field");
        assertMalformed(new byte[10], "a field runs past the end");
    }

    @Test
    void decode_atOrAfterExpiry_expiredWithWhen() {
        String code = InviteCodec.encode(Invites.full());
        ManualClock clock = new ManualClock(Invites.EXPIRY.minusMillis(1).toEpochMilli());
        assertThat(catchThrowableOfType(InvalidInviteException.class, () -> InviteCodec.decode(code, clock))).isNull();

        clock.counter().addAndGet(1);
        assertRejected(code, clock, Reason.EXPIRED, "this invite code expired 0 seconds ago (at 2026-03-14T09:40:00Z); " + ASK);

        clock.counter().addAndGet(Duration.ofMinutes(5).toMillis());
        assertRejected(code, clock, Reason.EXPIRED, "this invite code expired 5 minutes ago");
    }

    @Test
    void decode_hugeInput_rejectedWithoutParsing() {
        assertRejected("mf1:" + "A".repeat(20_000), Reason.MALFORMED, "far longer than an invite code");
    }

    @Test
    void toStringAndErrors_neverShowTheSecret() {
        Invite invite = Invites.full();
        String secretHex = HexFormat.of().formatHex(invite.secret());
        String code = InviteCodec.encode(invite);
        String secretBase32 = Base32.encode(invite.secret()).substring(0, 20);

        assertThat(invite.toString()).contains("photos-1").doesNotContain(secretHex).doesNotContain("secret")
                .doesNotContain(secretBase32).doesNotContain(code.substring(20, 60));
        var expired = catchThrowableOfType(InvalidInviteException.class,
                () -> InviteCodec.decode(code, Clock.fixed(Invites.EXPIRY.plusSeconds(1), ZoneOffset.UTC)));
        assertThat(expired.getMessage()).doesNotContain(secretHex).doesNotContain(code.substring(20, 60));
    }

    @Test
    void invite_secretIsCopiedInAndOut() {
        byte[] secret = Invites.secret(4);
        Invite invite = new Invite(Invites.device(1), "f", "", List.of(), List.of(), secret, Invites.EXPIRY);

        secret[3] = 99;
        invite.secret()[4] = 99;

        assertThat(invite.secret()).isEqualTo(Invites.secret(4));
    }

    @Test
    void invite_outOfBounds_refused() {
        assertThatThrownBy(() -> new Invite(Invites.device(1), "x".repeat(65), "", List.of(), List.of(),
                Invites.secret(1), Invites.EXPIRY)).hasMessageContaining("folder id");
        assertThatThrownBy(() -> new Invite(Invites.device(1), "f", "ä".repeat(33), List.of(), List.of(),
                Invites.secret(1), Invites.EXPIRY)).hasMessageContaining("got 66");
        assertThatThrownBy(() -> new Invite(Invites.device(1), "f", "", List.of(), List.of(), new byte[15],
                Invites.EXPIRY)).hasMessage("secret must be 16 bytes, got 15");
        assertThatThrownBy(() -> new Invite(Invites.device(1), "f", "", List.of(
                java.net.InetSocketAddress.createUnresolved("example.com", 1)), List.of(), Invites.secret(1),
                Invites.EXPIRY)).hasMessageContaining("not an IP address");
    }

    private void assertRejected(String code, Reason reason, String message) {
        assertRejected(code, beforeExpiry, reason, message);
    }

    private static void assertRejected(String code, Clock clock, Reason reason, String message) {
        var e = catchThrowableOfType(InvalidInviteException.class, () -> InviteCodec.decode(code, clock));
        assertThat(e).as("decoding %s", code).isNotNull();
        assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
        assertThat(e.getMessage()).contains(message).endsWith(ASK);
    }

    private void assertMalformed(byte[] body, String message) {
        assertRejected(Invites.code(InviteCodec.VERSION, body), Reason.MALFORMED, "the invite code is malformed: " + message);
    }

    private static byte[] withByte(byte[] body, int index, int value) {
        byte[] copy = body.clone();
        copy[index] = (byte) value;
        return copy;
    }

    /** {@code body} with {@code remove} bytes at {@code index} replaced by {@code insert}. */
    private static byte[] splice(byte[] body, int index, int remove, int... insert) {
        ByteBuffer b = ByteBuffer.allocate(body.length - remove + insert.length);
        b.put(body, 0, index);
        for (int v : insert) {
            b.put((byte) v);
        }
        b.put(body, index + remove, body.length - index - remove);
        return b.array();
    }
}
