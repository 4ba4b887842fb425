package org.meshfold.index;

/**
 * The index database could not be read or written. The message says which operation on which
 * database file or folder failed; the cause carries SQLite's own error. A failed mutation has
 * been rolled back.
 */
public class IndexStoreException extends RuntimeException {
    public IndexStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public IndexStoreException(String message) {
        super(message);
    }
}
