package org.meshfold.cli;

/** Another daemon already holds this meshfold home. */
final class HomeLockedException extends RuntimeException {
    HomeLockedException(String message) {
        super(message);
    }
}
