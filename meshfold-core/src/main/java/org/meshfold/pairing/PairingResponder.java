package org.meshfold.pairing;

import java.util.Objects;
import org.meshfold.identity.DeviceId;

/**
 * The inviter's side of pairing, as the network asks for it. With a responder, the network lets
 * a device it does not know through TLS while {@link #acceptingJoiners()} is true, and runs the
 * pairing conversation on that connection (see {@link Pairing}).
 *
 * <p>All methods are called on network threads and must be thread-safe.
 */
public interface PairingResponder {

    /**
     * Whether a device that is not paired may connect for pairing now. Consulted during the TLS
     * handshake of every such device, so it must be cheap.
     */
    boolean acceptingJoiners();

    /**
     * Checks the joiner's proof and closes the invite it matches.
     *
     * @return the redeemed invite
     * @throws InviteRejectedException with the reason the joiner's user is shown
     */
    Invite redeem(String folderId, DeviceId joiner, byte[] inviterNonce, byte[] joinerNonce, byte[] proof)
            throws InviteRejectedException;

    /**
     * {@code joiner} proved it holds {@code invite}: record it as a paired device and a member of the
     * invite's folder. Runs before the joiner is told it was accepted, on a network thread, so it
     * should return quickly (writing the configuration is fine). A runtime exception refuses the
     * pairing with its message.
     */
    void paired(DeviceId joiner, String joinerName, Invite invite);

    /** What to do when a joiner has been accepted. */
    @FunctionalInterface
    interface OnPaired {
        void paired(DeviceId joiner, String joinerName, Invite invite);
    }

    /** A responder for the invites in {@code invites}, calling {@code onPaired} for each accepted joiner. */
    static PairingResponder of(PendingInvites invites, OnPaired onPaired) {
        Objects.requireNonNull(invites, "invites");
        Objects.requireNonNull(onPaired, "onPaired");
        return new PairingResponder() {
            @Override
            public boolean acceptingJoiners() {
                return invites.hasOpen();
            }

            @Override
            public Invite redeem(String folderId, DeviceId joiner, byte[] inviterNonce, byte[] joinerNonce,
                                 byte[] proof) throws InviteRejectedException {
                return invites.redeem(folderId, joiner, inviterNonce, joinerNonce, proof);
            }

            @Override
            public void paired(DeviceId joiner, String joinerName, Invite invite) {
                onPaired.paired(joiner, joinerName, invite);
            }
        };
    }
}
