package org.meshfold.pairing;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.meshfold.identity.DeviceId;

/**
 * The joiner's proof that it holds an invite's secret:
 * <pre>
 *   HMAC-SHA256(key = secret,
 *               "meshfold-pair-v1" || inviter id (32) || joiner id (32) || inviter nonce (32) || joiner nonce (32))
 * </pre>
 *
 * <p>DESIGN §4 binds the proof to the TLS channel through an exporter; the JDK's TLS has no
 * keying-material exporter, so the proof is bound to what TLS authenticated instead: both device
 * ids (the joiner pinned the inviter's id from the code, the inviter read the joiner's from its
 * certificate) and a fresh nonce from each side. A relay or a man in the middle cannot reuse a
 * proof for another device or another conversation, and the secret itself never crosses the wire.
 */
public final class PairingProof {
    public static final int NONCE_BYTES = 32;
    public static final int PROOF_BYTES = 32;
    private static final byte[] LABEL = "meshfold-pair-v1".getBytes(StandardCharsets.US_ASCII);

    private PairingProof() {
    }

    /** A fresh nonce for one pairing attempt. */
    public static byte[] newNonce(SecureRandom random) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        return nonce;
    }

    /** The proof the joiner sends. */
    public static byte[] compute(byte[] secret, DeviceId inviter, DeviceId joiner, byte[] inviterNonce,
                                 byte[] joinerNonce) {
        if (secret.length != Invite.SECRET_BYTES) {
            throw new IllegalArgumentException("secret must be " + Invite.SECRET_BYTES + " bytes, got " + secret.length);
        }
        checkNonce(inviterNonce, "inviter");
        checkNonce(joinerNonce, "joiner");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(LABEL);
            mac.update(inviter.bytes());
            mac.update(joiner.bytes());
            mac.update(inviterNonce);
            mac.update(joinerNonce);
            return mac.doFinal();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Whether {@code proof} is right for these inputs; compared in constant time. */
    public static boolean verify(byte[] proof, byte[] secret, DeviceId inviter, DeviceId joiner, byte[] inviterNonce,
                                 byte[] joinerNonce) {
        return proof.length == PROOF_BYTES
                && MessageDigest.isEqual(compute(secret, inviter, joiner, inviterNonce, joinerNonce), proof);
    }

    private static void checkNonce(byte[] nonce, String side) {
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException(side + " nonce must be " + NONCE_BYTES + " bytes, got " + nonce.length);
        }
    }
}
