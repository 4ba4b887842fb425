package org.meshfold.pairing;

import org.meshfold.identity.Base32;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.meshfold.identity.DeviceId;

/** Sample invites and hand-built codes for tests. */
final class Invites {
    static final Instant EXPIRY = Instant.parse("2026-03-14T09:40:00Z");

    private Invites() {
    }

    static DeviceId device(int seed) {
        byte[] b = new byte[DeviceId.LENGTH];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return DeviceId.of(b);
    }

    static byte[] secret(int seed) {
        byte[] b = new byte[Invite.SECRET_BYTES];
        Arrays.fill(b, (byte) seed);
        b[0] = (byte) 0xA5;
        return b;
    }

    static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** An invite with every kind of field. */
    static Invite full() {
        return new Invite(device(1), "photos-1", "Fotos ✓ 2026",
                List.of(address("192.168.1.20", 22000), address("2001:db8::1", 22001), address("203.0.113.7", 443)),
                List.of("https://rendezvous.example/r/abc"), secret(7), EXPIRY);
    }

    static Invite minimal() {
        return new Invite(device(2), "f", "", List.of(), List.of(), secret(1), EXPIRY);
    }

    /** A text code around {@code bodyBytes} with a correct length and check. */
    static String code(int version, byte[] bodyBytes) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(version);
        all.write(bodyBytes.length >> 8);
        all.write(bodyBytes.length);
        all.writeBytes(bodyBytes);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(all.toByteArray());
            all.write(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return InviteCodec.PREFIX + Base32.encode(all.toByteArray());
    }

    /** The body bytes of a code {@link InviteCodec} made. */
    static byte[] body(String code) {
        byte[] all = Base32.decode(code.substring(InviteCodec.PREFIX.length()));
        return Arrays.copyOfRange(all, 3, all.length - 4);
    }
}
