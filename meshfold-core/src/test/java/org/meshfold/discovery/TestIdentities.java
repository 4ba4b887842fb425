package org.meshfold.discovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import org.meshfold.identity.DeviceIdentity;

/** Device identities for discovery tests, each in its own home under a temporary directory. */
final class TestIdentities {
    /** The secret key of RFC 8032 section 7.1, test 1: its public key is d75a9801...511a. */
    static final String RFC8032_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

    private TestIdentities() {
    }

    static DeviceIdentity create(Path dir, String name) {
        try {
            return DeviceIdentity.loadOrCreate(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An identity with a fixed key, for exact-byte tests (Ed25519 signatures are deterministic). */
    static DeviceIdentity fromSeed(Path dir, String hexSeed) {
        byte[] pkcs8 = HexFormat.of().parseHex("302e020100300506032b657004220420" + hexSeed);
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";
        Path home = dir.resolve("fixed-" + hexSeed.substring(0, 8));
        try {
            Files.createDirectories(home);
            Path file = Files.writeString(home.resolve(DeviceIdentity.KEY_FILE), pem, StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return DeviceIdentity.loadOrCreate(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
