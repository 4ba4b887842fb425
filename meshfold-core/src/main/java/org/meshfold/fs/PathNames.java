package org.meshfold.fs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Rules for names inside a folder. A name is relative, '/'-separated, and can never address
 * anything outside the folder root. Every name from a peer is checked with {@link #validate}
 * before it is stored or touched on disk.
 */
public final class PathNames {
    /** Prefix of in-progress downloads; such names are never scanned, announced or accepted. */
    public static final String TEMP_PREFIX = ".meshfold-tmp-";
    /** Per-folder ignore file (gitignore syntax); local to each device. */
    public static final String IGNORE_FILE = ".meshfoldignore";
    public static final int MAX_COMPONENT_BYTES = 255;
    public static final int MAX_NAME_BYTES = 4096;

    private PathNames() {
    }

    /** Returns {@code name} if it is a safe folder-relative name, otherwise throws with the reason. */
    public static String validate(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidNameException(String.valueOf(name), "empty name");
        }
        if (name.indexOf('\0') >= 0) {
            throw new InvalidNameException(name, "contains a NUL character");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new InvalidNameException(name, "longer than " + MAX_NAME_BYTES + " bytes");
        }
        if (name.startsWith("/") || name.contains("\\")) {
            throw new InvalidNameException(name, "absolute path or backslash");
        }
        for (String part : name.split("/", -1)) {
            if (part.isEmpty()) {
                throw new InvalidNameException(name, "empty path component");
            }
            if (part.equals(".") || part.equals("..")) {
                throw new InvalidNameException(name, "'.' or '..' component");
            }
            if (part.getBytes(StandardCharsets.UTF_8).length > MAX_COMPONENT_BYTES) {
                throw new InvalidNameException(name, "a component is longer than " + MAX_COMPONENT_BYTES + " bytes");
            }
            if (part.startsWith(TEMP_PREFIX)) {
                throw new InvalidNameException(name, "uses the reserved temp-file prefix " + TEMP_PREFIX);
            }
        }
        return name;
    }

    /** Resolves a validated name under {@code root}; double-checks the result stays inside. */
    public static Path resolve(Path root, String name) {
        Path p = root.resolve(validate(name)).normalize();
        if (!p.startsWith(root.normalize())) {
            throw new InvalidNameException(name, "escapes the folder root");
        }
        return p;
    }

    /** The temp file name used while downloading {@code name}: same directory, reserved prefix. */
    public static String tempName(String name) {
        int slash = name.lastIndexOf('/');
        String base = name.substring(slash + 1);
        String tmp = TEMP_PREFIX + (base.length() > 200 ? base.substring(0, 200) : base);
        return slash < 0 ? tmp : name.substring(0, slash + 1) + tmp;
    }

    /**
     * The name whose download uses the temp file {@code tempName} (same directory); null if the
     * base name is not a temp name, or was shortened by {@link #tempName} so the name is not known.
     */
    public static String tempTarget(String tempName) {
        int slash = tempName.lastIndexOf('/');
        String base = tempName.substring(slash + 1);
        if (!isTemp(base) || base.length() <= TEMP_PREFIX.length() || base.length() - TEMP_PREFIX.length() >= 200) {
            return null;
        }
        return tempName.substring(0, slash + 1) + base.substring(TEMP_PREFIX.length());
    }

    public static boolean isTemp(String fileName) {
        return fileName.startsWith(TEMP_PREFIX);
    }

    /** Parent name, or empty for a top-level name. */
    public static String parent(String name) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }
}
