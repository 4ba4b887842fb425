package org.meshfold.api;

import java.io.IOException;

/** The daemon named by a home's {@code api.address} did not answer, or refused the home's key. */
public final class DaemonUnreachableException extends IOException {
    public DaemonUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
