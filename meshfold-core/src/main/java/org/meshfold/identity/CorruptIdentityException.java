package org.meshfold.identity;

import java.io.IOException;
import java.nio.file.Path;

/** The identity key file exists but cannot be read as an Ed25519 private key. */
public final class CorruptIdentityException extends IOException {
    public CorruptIdentityException(Path file, String problem, Throwable cause) {
        super("identity key file " + file + " is unusable (" + problem + "). This device's identity cannot be "
                + "loaded: restore the file from a backup, or move it away to create a new identity (peers will "
                + "then see a new device id and it must be paired again)", cause);
    }
}
