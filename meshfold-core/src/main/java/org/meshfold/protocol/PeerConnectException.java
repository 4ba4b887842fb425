package org.meshfold.protocol;

import java.io.IOException;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLException;
import org.meshfold.identity.DeviceId;

/** A connection to a peer could not be established (unreachable, not authenticated, or refused). */
public final class PeerConnectException extends IOException {
    public PeerConnectException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The dial to {@code device} at {@code address} ended before Hello because of {@code reason}. */
    static PeerConnectException of(DeviceId device, InetSocketAddress address, Throwable reason) {
        return new PeerConnectException("cannot connect to device " + device.shortText() + " at " + address + ": "
                + describe(reason), reason);
    }

    private static String describe(Throwable reason) {
        if (reason == null) {
            return "the connection was closed locally";
        }
        Throwable root = reason;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage() == null ? root.toString() : root.getMessage();
        if (root instanceof SSLException && text.contains("Received fatal alert")) {
            // TLS 1.3: the server judges our certificate after our side of the handshake is done.
            text += " (the device refused this device's certificate: is it paired with this device?)";
        }
        return text;
    }
}
