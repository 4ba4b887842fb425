package org.meshfold.index;

/** What a record describes. The numeric codes are stored in the index and sent on the wire. */
public enum FileType {
    FILE(0), DIRECTORY(1), SYMLINK(2);

    private final int code;

    FileType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static FileType ofCode(int code) {
        for (FileType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown file type code " + code);
    }
}
