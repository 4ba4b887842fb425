package org.meshfold.daemon;

/** A folder named by id or path is not configured on this device. */
public final class UnknownFolderException extends IllegalArgumentException {
    public UnknownFolderException(String message) {
        super(message);
    }
}
