package org.meshfold.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The secret a client must present to the REST API: 32 random bytes, base64url, kept in
 * {@code home/api.key} (mode 0600, readable only by the user who runs the daemon, like the
 * identity key). Whoever can read the home may use the API.
 */
public final class ApiKey {
    public static final String FILE = "api.key";
    private static final int BYTES = 32;

    private final byte[] value;

    private ApiKey(String value) {
        this.value = value.getBytes(StandardCharsets.US_ASCII);
    }

    /** The home's key, created on first use (written to a temp file, fsynced, renamed into place). */
    public static ApiKey loadOrCreate(Path home) throws IOException {
        Optional<ApiKey> existing = load(home);
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] random = new byte[BYTES];
        new SecureRandom().nextBytes(random);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path target = home.resolve(FILE);
        Path tmp = home.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        return new ApiKey(text);
    }

    /** The home's key, if it has one. */
    public static Optional<ApiKey> load(Path home) throws IOException {
        Path file = home.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (text.isEmpty()) {
            throw new IOException(file + " is empty: delete it and restart the daemon to create a new API key");
        }
        return Optional.of(new ApiKey(text));
    }

    /** The key as sent in the {@code X-API-Key} header. */
    public String text() {
        return new String(value, StandardCharsets.US_ASCII);
    }

    /** True if {@code presented} is this key; compares in constant time, so timing does not reveal a prefix. */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(value, presented.trim().getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "ApiKey[hidden]";
    }
}
