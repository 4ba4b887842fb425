package org.meshfold.discovery.rendezvous;

/**
 * An address record failed verification: malformed, signed by a key that is not the claimed
 * device's, a bad signature, or expired. Whoever delivered it (a device registering, or a
 * server answering a lookup) is not to be believed about that device.
 */
public final class InvalidRecordException extends Exception {
    public InvalidRecordException(String message) {
        super(message);
    }

    public InvalidRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
