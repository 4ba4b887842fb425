package org.meshfold.pairing;

import org.meshfold.identity.Base32;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.meshfold.identity.DeviceId;
import org.meshfold.pairing.InvalidInviteException.Reason;

/**
 * The text form of an {@link Invite}: {@code mf1:} followed by RFC 4648 base32 (upper case, no
 * padding) of a compact binary payload. On input, case is ignored and whitespace (line breaks
 * from copying) is dropped.
 *
 * <p>Payload, all integers big-endian:
 * <pre>
 *   version        u8     = 1
 *   length         u16    bytes of body
 *   body:
 *     inviter      32     device id
 *     secret       16
 *     expiry       i64    epoch seconds
 *     folder id    u8 length, UTF-8
 *     label        u8 length, UTF-8
 *     addresses    u8 count, each: u8 family (4 or 6), 4 or 16 address bytes, u16 port
 *     rendezvous   u8 count, each: u16 length, UTF-8 URL
 *   check          4      first 4 bytes of SHA-256 of everything before it
 * </pre>
 * The length lets a cut-off code be told apart from a mistyped one; the check catches typos,
 * swaps and tampering before any field is trusted. A later format changes the version byte and
 * may append fields to the body; rendezvous URLs already have their place.
 */
public final class InviteCodec {
    public static final String PREFIX = "mf1:";
    static final int VERSION = 1;
    private static final int HEADER_BYTES = 3;
    private static final int CHECK_BYTES = 4;
    private static final int MAX_INPUT_CHARS = 16_384;
    private static final Pattern OTHER_FORMAT = Pattern.compile("(?i)mf[0-9]+:.*");

    private InviteCodec() {
    }

    /** The text code of {@code invite}, e.g. {@code mf1:AEAG...}. It contains the secret: show it only to the user. */
    public static String encode(Invite invite) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(128);
        body.writeBytes(invite.inviter().bytes());
        body.writeBytes(invite.secret());
        body.writeBytes(ByteBuffer.allocate(8).putLong(invite.expiry().getEpochSecond()).array());
        writeShortText(body, invite.folderId());
        writeShortText(body, invite.folderLabel());
        body.write(invite.addresses().size());
        for (InetSocketAddress a : invite.addresses()) {
            byte[] ip = a.getAddress().getAddress();
            body.write(ip.length == 4 ? 4 : 6);
            body.writeBytes(ip);
            writeU16(body, a.getPort());
        }
        body.write(invite.rendezvousUrls().size());
        for (String url : invite.rendezvousUrls()) {
            byte[] bytes = url.getBytes(StandardCharsets.UTF_8);
            writeU16(body, bytes.length);
            body.writeBytes(bytes);
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream(body.size() + HEADER_BYTES + CHECK_BYTES);
        all.write(VERSION);
        writeU16(all, body.size());
        all.writeBytes(body.toByteArray());
        all.writeBytes(check(all.toByteArray(), all.size()));
        return PREFIX + Base32.encode(all.toByteArray());
    }

    /**
     * Parses a text code and checks that it has not expired by {@code clock}.
     *
     * @throws InvalidInviteException with the {@link Reason} and a message for the user
     */
    public static Invite decode(String text, Clock clock) throws InvalidInviteException {
        Invite invite = decodeIgnoringExpiry(text);
        Instant now = clock.instant();
        if (invite.isExpired(now)) {
            throw invalid(Reason.EXPIRED, "this invite code expired " + ago(Duration.between(invite.expiry(), now))
                    + " (at " + invite.expiry() + ")", null);
        }
        return invite;
    }

    static Invite decodeIgnoringExpiry(String text) throws InvalidInviteException {
        if (text.length() > MAX_INPUT_CHARS) {
            throw invalid(Reason.MALFORMED, "this is far longer than an invite code (" + text.length() + " characters)", null);
        }
        String code = stripWhitespace(text);
        if (!code.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            if (OTHER_FORMAT.matcher(code).matches()) {
                throw invalid(Reason.UNSUPPORTED_VERSION, "this invite code (" + code.substring(0, code.indexOf(':') + 1)
                        + ") is from a newer meshfold", "update meshfold on this device");
            }
            throw invalid(Reason.NOT_AN_INVITE, "this is not a meshfold invite code (it should start with '"
                    + PREFIX + "')", null);
        }
        String data = code.substring(PREFIX.length());
        byte[] bytes;
        try {
            bytes = Base32.decode(data);
        } catch (IllegalArgumentException e) {
            throw invalid(Reason.CORRUPTED, "the invite code was mistyped or altered: " + e.getMessage(), "copy it again");
        }
        if (bytes.length < HEADER_BYTES) {
            throw invalid(Reason.TRUNCATED, "the invite code is incomplete (only " + data.length() + " characters)",
                    "copy the whole code");
        }
        int bodyLength = ((bytes[1] & 0xff) << 8) | (bytes[2] & 0xff);
        int expectedChars = Base32.encodedLength(HEADER_BYTES + bodyLength + CHECK_BYTES);
        if (data.length() < expectedChars) {
            throw invalid(Reason.TRUNCATED, "the invite code is incomplete: it has " + data.length() + " of "
                    + expectedChars + " characters after '" + PREFIX + "'", "copy the whole code");
        }
        if (data.length() > expectedChars) {
            throw invalid(Reason.CORRUPTED, "the invite code was mistyped or altered: it has "
                    + (data.length() - expectedChars) + " characters too many", "copy it again");
        }
        if (!Base32.encode(bytes).equalsIgnoreCase(data)) {
            // Only the unused low bits of the last character differ: not a code this codec wrote.
            throw invalid(Reason.CORRUPTED, "the invite code was mistyped or altered (its last character is wrong)",
                    "copy it again");
        }
        int checked = HEADER_BYTES + bodyLength;
        if (!MessageDigest.isEqual(check(bytes, checked), Arrays.copyOfRange(bytes, checked, checked + CHECK_BYTES))) {
            throw invalid(Reason.CORRUPTED, "the invite code was mistyped or altered (its check does not match)",
                    "copy it again");
        }
        if (bytes[0] != VERSION) {
            throw invalid(Reason.UNSUPPORTED_VERSION, "this invite code has payload format " + (bytes[0] & 0xff)
                    + ", which this meshfold does not know", "update meshfold on this device");
        }
        try {
            return body(ByteBuffer.wrap(bytes, HEADER_BYTES, bodyLength));
        } catch (BufferUnderflowException e) {
            throw invalid(Reason.MALFORMED, "the invite code is malformed: a field runs past the end", null);
        } catch (IllegalArgumentException e) {
            throw invalid(Reason.MALFORMED, "the invite code is malformed: " + e.getMessage(), null);
        }
    }

    private static Invite body(ByteBuffer in) {
        byte[] inviter = new byte[DeviceId.LENGTH];
        in.get(inviter);
        byte[] secret = new byte[Invite.SECRET_BYTES];
        in.get(secret);
        Instant expiry = Instant.ofEpochSecond(in.getLong());
        String folderId = text(in, in.get() & 0xff, "folder id");
        String label = text(in, in.get() & 0xff, "folder label");
        int addressCount = in.get() & 0xff;
        if (addressCount > Invite.MAX_ADDRESSES) {
            throw new IllegalArgumentException(addressCount + " addresses (max " + Invite.MAX_ADDRESSES + ")");
        }
        List<InetSocketAddress> addresses = new ArrayList<>(addressCount);
        for (int i = 0; i < addressCount; i++) {
            addresses.add(address(in));
        }
        int urlCount = in.get() & 0xff;
        if (urlCount > Invite.MAX_URLS) {
            throw new IllegalArgumentException(urlCount + " rendezvous URLs (max " + Invite.MAX_URLS + ")");
        }
        List<String> urls = new ArrayList<>(urlCount);
        for (int i = 0; i < urlCount; i++) {
            int length = in.getShort() & 0xffff;
            if (length > Invite.MAX_URL_BYTES) {
                throw new IllegalArgumentException("rendezvous URL of " + length + " bytes (max " + Invite.MAX_URL_BYTES + ")");
            }
            urls.add(text(in, length, "rendezvous URL"));
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(in.remaining() + " unexpected bytes after the last field");
        }
        return new Invite(DeviceId.of(inviter), folderId, label, addresses, urls, secret, expiry);
    }

    private static InetSocketAddress address(ByteBuffer in) {
        int family = in.get() & 0xff;
        if (family != 4 && family != 6) {
            throw new IllegalArgumentException("unknown address family " + family);
        }
        byte[] ip = new byte[family == 4 ? 4 : 16];
        in.get(ip);
        int port = in.getShort() & 0xffff;
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("invalid IP address", e);
        }
    }

    private static String text(ByteBuffer in, int length, String what) {
        if (in.remaining() < length) {
            throw new BufferUnderflowException();
        }
        ByteBuffer slice = in.slice(in.position(), length);
        in.position(in.position() + length);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not valid UTF-8");
        }
    }

    private static void writeShortText(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeU16(ByteArrayOutputStream out, int value) {
        out.write(value >> 8);
        out.write(value);
    }

    private static byte[] check(byte[] data, int length) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(data, 0, length);
            return Arrays.copyOf(sha.digest(), CHECK_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static String stripWhitespace(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().filter(c -> !Character.isWhitespace(c) && !Character.isSpaceChar(c)).forEach(b::appendCodePoint);
        return b.toString();
    }

    /** "problem; [fix, or ]ask the other device for a new code ...". */
    private static InvalidInviteException invalid(Reason reason, String problem, String fix) {
        return new InvalidInviteException(reason, problem + "; " + (fix == null ? "" : fix + ", or ")
                + InvalidInviteException.ASK_AGAIN);
    }

    private static String ago(Duration d) {
        long minutes = d.toMinutes();
        if (minutes < 1) {
            return d.toSeconds() + " seconds ago";
        }
        if (minutes < 120) {
            return minutes + (minutes == 1 ? " minute ago" : " minutes ago");
        }
        long hours = d.toHours();
        return hours < 48 ? hours + " hours ago" : d.toDays() + " days ago";
    }
}
