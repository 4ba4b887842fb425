package org.meshfold.identity;

/** A device id in text form that cannot be used; the message says why. */
public final class InvalidDeviceIdException extends IllegalArgumentException {
    public InvalidDeviceIdException(String input, String reason) {
        super("invalid device id '" + input + "': " + reason);
    }
}
