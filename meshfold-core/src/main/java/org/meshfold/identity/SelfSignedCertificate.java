package org.meshfold.identity;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds the device's self-signed certificate. Only the key is trusted (peers pin the SHA-256 of
 * the public key), so the certificate is a container: fixed validity dates, serial from the device
 * id, and a deterministic Ed25519 signature make it identical every time it is rebuilt, which is
 * why it is never stored.
 */
final class SelfSignedCertificate {
    private static final Date NOT_BEFORE = Date.from(Instant.parse("2000-01-01T00:00:00Z"));
    private static final Date NOT_AFTER = Date.from(Instant.parse("9999-12-31T23:59:59Z"));

    private SelfSignedCertificate() {
    }

    /** The Ed25519 public key belonging to {@code key} (derived, so it never needs storing). */
    static PublicKey publicKeyOf(PrivateKey key) throws GeneralSecurityException {
        try {
            var privateParams = (Ed25519PrivateKeyParameters) PrivateKeyFactory.createKey(
                    PrivateKeyInfo.getInstance(key.getEncoded()));
            byte[] spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(privateParams.generatePublicKey())
                    .getEncoded();
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        } catch (IOException | ClassCastException | IllegalArgumentException e) {
            throw new GeneralSecurityException("cannot derive the Ed25519 public key", e);
        }
    }

    static X509Certificate create(DeviceId id, PublicKey publicKey, PrivateKey privateKey)
            throws GeneralSecurityException {
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, id.toString()).build();
        BigInteger serial = new BigInteger(1, id.bytes(), 0, 16);
        try {
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(
                    name, serial, NOT_BEFORE, NOT_AFTER, name, publicKey)
                    .build(new JcaContentSignerBuilder("Ed25519").build(privateKey));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the device certificate", e);
        }
    }
}
