package org.meshfold.discovery.rendezvous;

import org.meshfold.identity.DeviceId;

/**
 * What a rendezvous server pushes to a device. Called on the session's event loop thread: return
 * quickly and hand longer work to an executor.
 */
public interface RendezvousListener {
    /** Another device wants to punch a path to this one. */
    default void punchOffer(PunchOffer offer) {
    }

    /** An opaque pairing message relayed from {@code from} (proven to the server by its TLS key). */
    default void pairingMessage(DeviceId from, byte[] payload) {
    }

    /** The session ended; {@code cause} says why. Pending requests fail with the same cause. */
    default void disconnected(Throwable cause) {
    }
}
