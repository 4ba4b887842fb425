package org.meshfold.protocol.codec;

import com.google.protobuf.ByteString;
import org.meshfold.fs.InvalidNameException;
import org.meshfold.fs.PathNames;
import org.meshfold.index.BlockHash;
import org.meshfold.protocol.ProtocolException;
import org.meshfold.protocol.ProtocolException.Kind;

/** Checks for fields shared by several messages. */
final class FieldRules {
    static final int MAX_FOLDER_ID_CHARS = 64;

    private FieldRules() {
    }

    static String folderId(String id) throws ProtocolException {
        if (id.isEmpty() || id.length() > MAX_FOLDER_ID_CHARS) {
            throw new ProtocolException(Kind.INVALID_FOLDER, "invalid folder id '" + shorten(id, 80)
                    + "': must be 1.." + MAX_FOLDER_ID_CHARS + " characters, got " + id.length());
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                throw new ProtocolException(Kind.INVALID_FOLDER,
                        "invalid folder id '" + printable(id) + "': contains a control character");
            }
        }
        return id;
    }

    static String name(String name) throws ProtocolException {
        try {
            return PathNames.validate(name);
        } catch (InvalidNameException e) {
            throw new ProtocolException(Kind.INVALID_NAME, e.getMessage(), e);
        }
    }

    /** A 32-byte SHA-256; {@code what} names the field for the error. */
    static BlockHash hash(ByteString bytes, Kind kind, String what) throws ProtocolException {
        if (bytes.size() != BlockHash.LENGTH) {
            throw new ProtocolException(kind, what + " is " + bytes.size() + " bytes, a SHA-256 hash has "
                    + BlockHash.LENGTH);
        }
        return BlockHash.wrap(bytes.toByteArray());
    }

    /** A free-text field bounded in length; {@code what} names it for the error. */
    static String text(String value, int maxChars, Kind kind, String what) throws ProtocolException {
        if (value.length() > maxChars) {
            throw new ProtocolException(kind, what + " has " + value.length() + " characters (max " + maxChars + ")");
        }
        return value;
    }

    static String printable(String s) {
        return printable(s, 80);
    }

    /** {@code s} with control characters escaped, cut after {@code max} code points (for logs). */
    static String printable(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        s.codePoints().limit(max).forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return s.codePointCount(0, s.length()) > max ? b + "…" : b.toString();
    }

    private static String shorten(String s, int max) {
        return printable(s.length() > max ? s.substring(0, max) : s);
    }
}
