package org.meshfold.pairing;

import java.time.Duration;

/**
 * Pairing a new device into a folder (DESIGN §4).
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link PendingInvites} opens an {@link Invite} on the inviter: a one-time 128-bit secret
 *       for one folder, valid for a limited time.</li>
 *   <li>{@link InviteCodec} turns it into the text code {@code mf1:...} and back, detecting
 *       mistyped, cut-off, altered and expired codes ({@link InvalidInviteException}).</li>
 *   <li>{@link QrCodes} shows the code as a QR code in the terminal and as a PNG image.</li>
 *   <li>{@link PairingProof} is the joiner's proof of the secret, bound to both device ids and
 *       fresh nonces; the secret itself is never sent.</li>
 *   <li>The wire messages {@code PairRequest}, {@code PairChallenge}, {@code PairProof} and
 *       {@code PairResult} (types 9 to 12 of {@code wire.proto}).</li>
 * </ul>
 *
 * <h2>The conversation</h2>
 * <ol>
 *   <li>The joiner decodes the code and dials the inviter at the code's addresses (or through a
 *       rendezvous URL), with TLS pinned to the inviter's device id from the code: only the
 *       inviter's key completes the handshake, so nobody can sit in the middle.</li>
 *   <li>The inviter's TLS trust admits a device it does not know only while
 *       {@link PendingInvites#hasOpen()} is true, and marks such a connection <em>pairing-only</em>:
 *       it accepts nothing but pairing messages, and is closed after the {@code PairResult} or
 *       after {@link #PAIRING_TIMEOUT}, whichever comes first. No folder data, index or file
 *       name is ever sent on it.</li>
 *   <li>Joiner → {@code PairRequest}: the folder id from the code, a fresh joiner nonce and its
 *       device name.</li>
 *   <li>Inviter → {@code PairChallenge}: a fresh inviter nonce.</li>
 *   <li>Joiner → {@code PairProof}: {@link PairingProof#compute} over the secret, the inviter's
 *       id, its own id and both nonces.</li>
 *   <li>The inviter computes the same from the joiner's certificate id and calls
 *       {@link PendingInvites#redeem}; it answers {@code PairResult}: ok with the folder id and
 *       label, or not ok with the reason (already used, expired, unknown code), which the joiner
 *       shows to its user.</li>
 *   <li>On success both sides record each other as paired for that folder (the joiner already
 *       trusts the inviter's id from the code), the pairing connection is closed, and a normal
 *       connection between two paired devices follows and starts syncing.</li>
 * </ol>
 *
 * <p>Nonces make each proof valid for one conversation only, and the device ids make it valid
 * for one pair of devices only: a relay that forwards the ciphertext, or a device that sees a
 * proof, cannot replay it. A secret is accepted once, so a code that leaks after use is worthless.
 */
public final class Pairing {
    /** How long a pairing-only connection may stay open before it is closed. */
    public static final Duration PAIRING_TIMEOUT = Duration.ofSeconds(10);

    private Pairing() {
    }
}
