package org.meshfold.identity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;

/**
 * This device's identity: an Ed25519 key pair, its {@link DeviceId} and a self-signed certificate
 * for TLS.
 *
 * <p>Only the private key is persisted, as {@code identity.key} (PKCS#8 PEM, mode 0600) in the
 * meshfold home; the public key and the certificate are derived from it on load. The key is never
 * logged; {@link #toString()} shows only the device id. Immutable and thread-safe.
 */
public final class DeviceIdentity {
    public static final String KEY_FILE = "identity.key";

    private final DeviceId deviceId;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final X509Certificate certificate;

    private DeviceIdentity(DeviceId deviceId, PrivateKey privateKey, PublicKey publicKey,
            X509Certificate certificate) {
        this.deviceId = deviceId;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.certificate = certificate;
    }

    /**
     * Loads the identity from {@code home/identity.key}, or creates a new key pair there (and
     * {@code home} itself, mode 0700) on first use.
     *
     * @throws CorruptIdentityException if the key file exists but is not a usable Ed25519 key
     * @throws IOException              if the home or key file cannot be read or written
     */
    public static DeviceIdentity loadOrCreate(Path home) throws IOException {
        Path file = home.resolve(KEY_FILE);
        if (Files.exists(file)) {
            return fromPrivateKey(file, IdentityKeyFile.read(file));
        }
        IdentityKeyFile.createHome(home);
        PrivateKey key = generate();
        IdentityKeyFile.write(file, key);
        return fromPrivateKey(file, key);
    }

    private static PrivateKey generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate Ed25519 keys", e);
        }
    }

    private static DeviceIdentity fromPrivateKey(Path file, PrivateKey key) throws IOException {
        PublicKey publicKey;
        try {
            publicKey = SelfSignedCertificate.publicKeyOf(key);
        } catch (GeneralSecurityException e) {
            throw new CorruptIdentityException(file, "the public key cannot be derived from it", e);
        }
        DeviceId id = DeviceId.of(publicKey);
        try {
            return new DeviceIdentity(id, key, publicKey, SelfSignedCertificate.create(id, publicKey, key));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the certificate of device " + id, e);
        }
    }

    public DeviceId deviceId() {
        return deviceId;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** Self-signed, CN = the device id text; peers trust it only by the pinned key hash. */
    public X509Certificate certificate() {
        return certificate;
    }

    @Override
    public String toString() {
        return "DeviceIdentity[" + deviceId + "]";
    }
}
