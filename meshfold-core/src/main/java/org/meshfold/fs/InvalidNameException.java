package org.meshfold.fs;

/** A name that must not be used inside a folder. */
public final class InvalidNameException extends IllegalArgumentException {
    public InvalidNameException(String name, String reason) {
        super("invalid name '" + printable(name) + "': " + reason);
    }

    private static String printable(String s) {
        String p = s.replace("\0", "\\0");
        return p.length() > 120 ? p.substring(0, 120) + "…" : p;
    }
}
