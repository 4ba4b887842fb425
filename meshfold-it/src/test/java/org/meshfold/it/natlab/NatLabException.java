package org.meshfold.it.natlab;

/** Building, changing or tearing down the NAT lab failed; the message names the command and its output. */
public final class NatLabException extends RuntimeException {
    NatLabException(String message) {
        super(message);
    }

    NatLabException(String message, Throwable cause) {
        super(message, cause);
    }
}
