package org.meshfold.protocol;

import java.io.IOException;

/**
 * A connection ended other than by our own close: the peer closed it (with its stated reason),
 * it broke, or it went silent. Passed to {@code PeerListener.disconnected} and to pending requests.
 */
public final class PeerClosedException extends IOException {
    public PeerClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
