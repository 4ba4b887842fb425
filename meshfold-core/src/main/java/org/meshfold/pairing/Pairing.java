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
 *   <li>{@link PairingResponder}: what the inviter's network asks of the application; given in
 *       {@code NetworkOptions.withPairing}, usually {@link PairingResponder#of} over the
 *       {@link PendingInvites} with a callback that records the joiner as paired.</li>
 *   <li>{@code PeerNetwork.pair(invite, deviceName)}: the joiner's side, completing with a
 *       {@link PairingOutcome} or failing with a {@link PairingFailedException} whose
 *       {@link PairingFailedException.Reason reason} and message are meant for the user.</li>
 * </ul>
 *
 * <h2>The conversation</h2>
 * <ol>
 *   <li>The joiner decodes the code and dials all of the code's addresses at once, with TLS pinned
 *       to the inviter's device id from the code: only the inviter's key completes the handshake,
 *       so nobody can sit in the middle, and a different device answering at an address fails
 *       as {@code WRONG_DEVICE}. The first connection that authenticates carries the
 *       conversation; the others are closed. (Rendezvous URLs are not used yet: a code without
 *       addresses fails as {@code UNREACHABLE}.)</li>
 *   <li>The inviter's TLS trust admits a device that is not paired only while
 *       {@link PairingResponder#acceptingJoiners()} ({@link PendingInvites#hasOpen()}) is true;
 *       otherwise the handshake fails and the joiner reports {@code NOT_ACCEPTING}. Once TLS
 *       completes, the inviter asks its trust again: a paired device gets the sync protocol, any
 *       other device a <em>pairing-only</em> connection. That connection is never reported to the
 *       {@code PeerListener}, accepts nothing but pairing messages (Hello, index, requests and
 *       anything else close it with a reason), and is closed after the {@code PairResult} or
 *       after {@link #PAIRING_TIMEOUT}, whichever comes first. At most eight are open at once.
 *       No folder data, index or file name is ever sent on it.</li>
 *   <li>Joiner → {@code PairRequest}: the folder id from the code, a fresh joiner nonce and its
 *       device name.</li>
 *   <li>Inviter → {@code PairChallenge}: a fresh inviter nonce.</li>
 *   <li>Joiner → {@code PairProof}: {@link PairingProof#compute} over the secret, the inviter's
 *       id, its own id and both nonces.</li>
 *   <li>The inviter calls {@link PairingResponder#redeem} with the joiner's id from its
 *       certificate. On success it calls {@link PairingResponder#paired}, which records the
 *       joiner as a paired device and a member of the folder, and only then answers
 *       {@code PairResult} ok with the folder id and label. On failure it answers not ok with
 *       the {@link InviteRejectedException} message (already used, expired, or unknown or wrong
 *       code), which the joiner shows as {@code REFUSED}. Then it closes the connection.</li>
 *   <li>The joiner closes its side too and records the inviter as paired for the folder (it
 *       already trusts the inviter's id from the code). A normal connection between the two,
 *       now paired, follows and starts syncing.</li>
 * </ol>
 *
 * <p>Pairing messages between devices that are paired already stay refused: such a joiner's
 * pairing connection is answered with the sync protocol's Hello, and it fails as
 * {@code ALREADY_PAIRED} (the inviter should share the folder with it instead).
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
