package org.meshfold.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Random;

/**
 * A folder this device adds of its own accord ({@code meshfold init}), as opposed to one it joins:
 * the checks on its directory and its id, the same whether the command line or the daemon adds it.
 */
public final class LocalFolder {
    private static final String ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
    private static final Random RANDOM = new SecureRandom();

    private LocalFolder() {
    }

    /**
     * The normalized directory {@code dir}, created if missing.
     *
     * @throws IllegalArgumentException if {@code dir} is not absolute, or exists and is not a directory
     * @throws IOException if it cannot be created or is not writable by this user
     */
    public static Path prepare(Path dir) throws IOException {
        if (!dir.isAbsolute()) {
            throw new IllegalArgumentException("folder path '" + dir + "' must be absolute");
        }
        Path normal = dir.normalize();
        if (Files.exists(normal) && !Files.isDirectory(normal)) {
            throw new IllegalArgumentException(normal + " exists and is not a directory: choose a directory to sync");
        }
        Files.createDirectories(normal);
        if (!Files.isWritable(normal)) {
            throw new IOException(normal + " is not writable by this user: fix its permissions or choose another directory");
        }
        return normal;
    }

    /**
     * {@code id} if it can name a folder (it is also a key in {@code config.properties}).
     *
     * @throws IllegalArgumentException if it is not 1-64 letters, digits, '.', '_' or '-'
     */
    public static String checkId(String id) {
        if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("folder id '" + id + "' must be 1-64 letters, digits, '.', '_' or '-'");
        }
        return id;
    }

    /** A new random folder id, such as {@code k3hx9-qw2mz}: easy to read out, no look-alike characters. */
    public static String newId() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 11; i++) {
            sb.append(i == 5 ? '-' : ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return sb.toString();
    }

    /** The label of a folder when the user gives none: its directory's name. */
    public static String defaultLabel(Path dir) {
        Path name = dir.getFileName();
        return name == null ? dir.toString() : name.toString();
    }
}
