package org.meshfold.protocol;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Predicate;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.pairing.PairingResponder;
import org.meshfold.protocol.codec.WireCodec;
import org.meshfold.replication.PeerListener;

/**
 * What a {@link PeerNetwork} needs.
 *
 * @param identity      this device
 * @param listen        where to accept connections; port 0 picks a free port
 * @param trusted       whether a device may connect to us (consulted during each TLS handshake,
 *                      so it should be cheap and thread-safe)
 * @param listener      receives connections and their messages, on network threads
 * @param maxFrameBytes hard limit of an inbound frame; {@link WireCodec#MAX_FRAME_BYTES} normally
 * @param pairing       answers devices that are not {@code trusted} but come to pair with an invite,
 *                      or null to refuse every such device during the handshake
 */
public record NetworkOptions(DeviceIdentity identity, InetSocketAddress listen, Predicate<DeviceId> trusted,
        PeerListener listener, int maxFrameBytes, PairingResponder pairing) {

    public NetworkOptions {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(trusted, "trusted");
        Objects.requireNonNull(listener, "listener");
        if (maxFrameBytes < 1024 || maxFrameBytes > Integer.MAX_VALUE - 4) {
            throw new IllegalArgumentException("maxFrameBytes out of range: " + maxFrameBytes);
        }
    }

    /** Options without pairing. */
    public NetworkOptions(DeviceIdentity identity, InetSocketAddress listen, Predicate<DeviceId> trusted,
            PeerListener listener, int maxFrameBytes) {
        this(identity, listen, trusted, listener, maxFrameBytes, null);
    }

    /** Options with the standard frame limit, without pairing. */
    public NetworkOptions(DeviceIdentity identity, InetSocketAddress listen, Predicate<DeviceId> trusted,
            PeerListener listener) {
        this(identity, listen, trusted, listener, WireCodec.MAX_FRAME_BYTES, null);
    }

    /** These options, answering joiners with {@code responder}. */
    public NetworkOptions withPairing(PairingResponder responder) {
        return new NetworkOptions(identity, listen, trusted, listener, maxFrameBytes,
                Objects.requireNonNull(responder, "responder"));
    }
}
