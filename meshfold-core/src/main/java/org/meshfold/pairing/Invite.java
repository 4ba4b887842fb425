package org.meshfold.pairing;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.meshfold.identity.DeviceId;

/**
 * An invitation to join one folder of the inviter's device: everything the joiner needs to reach
 * the inviter, authenticate it, and prove it was given the code (DESIGN §4).
 *
 * <p>The secret is one-time and short-lived; {@link #toString} never shows it, so an invite can
 * be logged. {@code expiry} is kept to whole seconds, as the text code carries it.
 *
 * @param inviter the inviting device; the joiner pins this id when it connects
 * @param folderId the folder's id (1..64 UTF-8 bytes, no control characters)
 * @param folderLabel the folder's display label (up to 64 UTF-8 bytes, no control characters)
 * @param addresses where the inviter listens (LAN, reflexive), at most {@value #MAX_ADDRESSES}
 * @param rendezvousUrls rendezvous servers that can introduce the two devices, at most
 *     {@value #MAX_URLS} of up to {@value #MAX_URL_BYTES} bytes each
 * @param secret the {@value #SECRET_BYTES}-byte one-time secret
 * @param expiry when the invite stops being accepted
 */
public record Invite(DeviceId inviter, String folderId, String folderLabel, List<InetSocketAddress> addresses,
                     List<String> rendezvousUrls, byte[] secret, Instant expiry) {
    public static final int SECRET_BYTES = 16;
    public static final int MAX_FOLDER_ID_BYTES = 64;
    public static final int MAX_LABEL_BYTES = 64;
    public static final int MAX_ADDRESSES = 16;
    public static final int MAX_URLS = 8;
    public static final int MAX_URL_BYTES = 256;

    /** @throws IllegalArgumentException if a field is out of the bounds above */
    public Invite {
        Objects.requireNonNull(inviter, "inviter");
        Objects.requireNonNull(expiry, "expiry");
        checkText(folderId, 1, MAX_FOLDER_ID_BYTES, "folder id");
        checkText(folderLabel, 0, MAX_LABEL_BYTES, "folder label");
        addresses = List.copyOf(addresses);
        if (addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException(addresses.size() + " addresses (max " + MAX_ADDRESSES + ")");
        }
        for (InetSocketAddress a : addresses) {
            if (a.isUnresolved() || a.getPort() == 0) {
                throw new IllegalArgumentException("address " + a.getHostString() + ":" + a.getPort()
                        + " is not an IP address with a port");
            }
        }
        rendezvousUrls = List.copyOf(rendezvousUrls);
        if (rendezvousUrls.size() > MAX_URLS) {
            throw new IllegalArgumentException(rendezvousUrls.size() + " rendezvous URLs (max " + MAX_URLS + ")");
        }
        for (String url : rendezvousUrls) {
            checkText(url, 1, MAX_URL_BYTES, "rendezvous URL");
            if (url.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("rendezvous URL '" + url + "' contains whitespace");
            }
        }
        if (secret.length != SECRET_BYTES) {
            throw new IllegalArgumentException("secret must be " + SECRET_BYTES + " bytes, got " + secret.length);
        }
        secret = secret.clone();
        expiry = expiry.truncatedTo(ChronoUnit.SECONDS);
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiry);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Invite i && inviter.equals(i.inviter) && folderId.equals(i.folderId)
                && folderLabel.equals(i.folderLabel) && addresses.equals(i.addresses)
                && rendezvousUrls.equals(i.rendezvousUrls) && Arrays.equals(secret, i.secret)
                && expiry.equals(i.expiry);
    }

    @Override
    public int hashCode() {
        return Objects.hash(inviter, folderId, folderLabel, addresses, rendezvousUrls, Arrays.hashCode(secret), expiry);
    }

    /** Everything but the secret. */
    @Override
    public String toString() {
        return "Invite[inviter=" + inviter.shortText() + ", folder=" + folderId + " '" + folderLabel + "', addresses="
                + addresses + ", rendezvous=" + rendezvousUrls + ", expiry=" + expiry + "]";
    }

    private static void checkText(String value, int minBytes, int maxBytes, String what) {
        Objects.requireNonNull(value, what);
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < minBytes || bytes > maxBytes) {
            throw new IllegalArgumentException(what + " '" + value + "' must be " + minBytes + ".." + maxBytes
                    + " UTF-8 bytes, got " + bytes);
        }
        // Labels and ids are echoed to terminals: control characters could rewrite the screen.
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(what + " contains a control character");
        }
    }
}
