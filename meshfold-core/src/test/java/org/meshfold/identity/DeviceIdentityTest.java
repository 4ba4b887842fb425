package org.meshfold.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.util.Base64;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceIdentityTest {
    @TempDir
    Path tmp;

    @Test
    void loadOrCreate_newHome_createsOwnerOnlyKeyFileAndDirectory() throws Exception {
        Path home = tmp.resolve("a/home");

        DeviceIdentity identity = DeviceIdentity.loadOrCreate(home);

        Path key = home.resolve(DeviceIdentity.KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home))).isEqualTo("rwx------");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        try (var files = Files.list(home)) {
            assertThat(files).containsExactly(key);
        }
        assertThat(identity.privateKey().getAlgorithm()).isIn("EdDSA", "Ed25519");
    }

    @Test
    void loadOrCreate_existingKey_returnsSameIdentityAndCertificate() throws Exception {
        DeviceIdentity first = DeviceIdentity.loadOrCreate(tmp);

        DeviceIdentity again = DeviceIdentity.loadOrCreate(tmp);

        assertThat(again.deviceId()).isEqualTo(first.deviceId());
        assertThat(again.privateKey().getEncoded()).isEqualTo(first.privateKey().getEncoded());
        assertThat(again.certificate().getEncoded()).isEqualTo(first.certificate().getEncoded());
    }

    @Test
    void loadOrCreate_twoHomes_differentDevices() throws Exception {
        assertThat(DeviceIdentity.loadOrCreate(tmp.resolve("a")).deviceId())
                .isNotEqualTo(DeviceIdentity.loadOrCreate(tmp.resolve("b")).deviceId());
    }

    @Test
    void certificate_selfSignedEd25519NamingTheDevice() throws Exception {
        DeviceIdentity identity = DeviceIdentity.loadOrCreate(tmp);
        var cert = identity.certificate();

        cert.verify(cert.getPublicKey());
        cert.checkValidity();
        assertThat(DeviceId.of(cert.getPublicKey())).isEqualTo(identity.deviceId());
        assertThat(cert.getSubjectX500Principal())
                .isEqualTo(new X500Principal("CN=" + identity.deviceId()))
                .isEqualTo(cert.getIssuerX500Principal());
        assertThat(cert.getNotAfter().toInstant().toString()).startsWith("9999-");
    }

    @Test
    void privateKey_signaturesVerifyWithPublicKey() throws Exception {
        DeviceIdentity identity = DeviceIdentity.loadOrCreate(tmp);
        byte[] data = "meshfold".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(identity.privateKey());
        signer.update(data);
        byte[] signature = signer.sign();

        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(identity.publicKey());
        verifier.update(data);
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void loadOrCreate_garbageKeyFile_namesFileAndRemedy() throws Exception {
        Path key = tmp.resolve(DeviceIdentity.KEY_FILE);
        Files.writeString(key, "not a key");

        assertThatThrownBy(() -> DeviceIdentity.loadOrCreate(tmp))
                .isInstanceOf(CorruptIdentityException.class)
                .hasMessageContaining(key.toString())
                .hasMessageContaining("restore the file from a backup");
    }

    @Test
    void loadOrCreate_keyOfWrongAlgorithm_rejected() throws Exception {
        var ec = java.security.KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate();
        Path key = tmp.resolve(DeviceIdentity.KEY_FILE);
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(ec.getEncoded()) + "\n-----END PRIVATE KEY-----\n");

        assertThatThrownBy(() -> DeviceIdentity.loadOrCreate(tmp))
                .isInstanceOf(CorruptIdentityException.class)
                .hasMessageContaining("not a PKCS#8 Ed25519 private key");
    }

    @Test
    void loadOrCreate_truncatedKey_rejected() throws Exception {
        DeviceIdentity.loadOrCreate(tmp);
        Path key = tmp.resolve(DeviceIdentity.KEY_FILE);
        String pem = Files.readString(key);
        Files.writeString(key, pem.substring(0, 40) + "\n-----END PRIVATE KEY-----\n");

        assertThatThrownBy(() -> DeviceIdentity.loadOrCreate(tmp))
                .isInstanceOf(CorruptIdentityException.class)
                .hasMessageContaining(key.toString());
    }

    @Test
    void loadOrCreate_keyReadableByOthers_restrictsPermissions() throws Exception {
        DeviceIdentity.loadOrCreate(tmp);
        Path key = tmp.resolve(DeviceIdentity.KEY_FILE);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        DeviceIdentity.loadOrCreate(tmp);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    }

    @Test
    void toString_showsOnlyTheDeviceId() throws Exception {
        DeviceIdentity identity = DeviceIdentity.loadOrCreate(tmp);
        String keyBase64 = Base64.getEncoder().encodeToString(identity.privateKey().getEncoded());

        assertThat(identity.toString()).contains(identity.deviceId().toString()).doesNotContain(keyBase64);
    }
}
