package org.meshfold.pairing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.meshfold.identity.DeviceId;
import org.meshfold.protocol.Message;

class PairingProofTest {
    private static final byte[] SECRET = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
    private static final DeviceId INVITER = Invites.device(1);
    private static final DeviceId JOINER = Invites.device(2);
    private static final byte[] INVITER_NONCE = filled(0x11);
    private static final byte[] JOINER_NONCE = filled(0x22);

    @Test
    void compute_knownInputs_pinnedVector() {
        byte[] proof = PairingProof.compute(SECRET, INVITER, JOINER, INVITER_NONCE, JOINER_NONCE);

        // Computed once with Python's hmac module over the documented message.
        assertThat(HexFormat.of().formatHex(proof))
                .isEqualTo("3bd36890c095cc8987c9776fe8a466230b61184ff7d49398d371b909e4eedc6c");
    }

    @Test
    void compute_equalsRfc2104HmacOfTheDocumentedMessage() throws Exception {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.writeBytes("meshfold-pair-v1".getBytes(StandardCharsets.US_ASCII));
        message.writeBytes(INVITER.bytes());
        message.writeBytes(JOINER.bytes());
        message.writeBytes(INVITER_NONCE);
        message.writeBytes(JOINER_NONCE);

        byte[] expected = hmacSha256(SECRET, message.toByteArray());

        assertThat(PairingProof.compute(SECRET, INVITER, JOINER, INVITER_NONCE, JOINER_NONCE)).isEqualTo(expected);
    }

    @Test
    void verify_rightInputs_true() {
        byte[] proof = PairingProof.compute(SECRET, INVITER, JOINER, INVITER_NONCE, JOINER_NONCE);

        assertThat(PairingProof.verify(proof, SECRET, INVITER, JOINER, INVITER_NONCE, JOINER_NONCE)).isTrue();
    }

    @Test
    void verify_anyInputDifferent_false() {
        byte[] proof = PairingProof.compute(SECRET, INVITER, JOINER, INVITER_NONCE, JOINER_NONCE);
        byte[] otherSecret = SECRET.clone();
        otherSecret[15] ^= 1;
        byte[] otherNonce = INVITER_NONCE.clone();
        otherNonce[0] ^= (byte) 0x80;

        assertThat(PairingProof.verify(proof, otherSecret, INVITER, JOINER, INVITER_NONCE, JOINER_NONCE)).isFalse();
        assertThat(PairingProof.verify(proof, SECRET, Invites.device(3), JOINER, INVITER_NONCE, JOINER_NONCE)).isFalse();
        assertThat(PairingProof.verify(proof, SECRET, INVITER, Invites.device(3), INVITER_NONCE, JOINER_NONCE)).isFalse();
        assertThat(PairingProof.verify(proof, SECRET, JOINER, INVITER, INVITER_NONCE, JOINER_NONCE))
                .as("roles swapped").isFalse();
        assertThat(PairingProof.verify(proof, SECRET, INVITER, JOINER, otherNonce, JOINER_NONCE)).isFalse();
        assertThat(PairingProof.verify(proof, SECRET, INVITER, JOINER, INVITER_NONCE, otherNonce)).isFalse();
        assertThat(PairingProof.verify(proof, SECRET, INVITER, JOINER, JOINER_NONCE, INVITER_NONCE))
                .as("nonces swapped").isFalse();
    }

    @Test
    void verify_alteredOrShortProof_false() {
        byte[] proof = PairingProof.compute(SECRET, INVITER, JOINER, INVITER_NONCE, JOINER_NONCE);
        byte[] altered = proof.clone();
        altered[31] ^= 1;

        assertThat(PairingProof.verify(altered, SECRET, INVITER, JOINER, INVITER_NONCE, JOINER_NONCE)).isFalse();
        assertThat(PairingProof.verify(Arrays.copyOf(proof, 16), SECRET, INVITER, JOINER, INVITER_NONCE, JOINER_NONCE))
                .isFalse();
        assertThat(PairingProof.verify(new byte[0], SECRET, INVITER, JOINER, INVITER_NONCE, JOINER_NONCE)).isFalse();
    }

    @Test
    void compute_wrongSizes_refused() {
        assertThatThrownBy(() -> PairingProof.compute(new byte[15], INVITER, JOINER, INVITER_NONCE, JOINER_NONCE))
                .hasMessage("secret must be 16 bytes, got 15");
        assertThatThrownBy(() -> PairingProof.compute(SECRET, INVITER, JOINER, new byte[31], JOINER_NONCE))
                .hasMessage("inviter nonce must be 32 bytes, got 31");
        assertThatThrownBy(() -> PairingProof.compute(SECRET, INVITER, JOINER, INVITER_NONCE, new byte[0]))
                .hasMessage("joiner nonce must be 32 bytes, got 0");
    }

    @Test
    void newNonce_freshEachTimeAndOfTheWireSize() {
        SecureRandom random = new SecureRandom();

        byte[] a = PairingProof.newNonce(random);
        byte[] b = PairingProof.newNonce(random);

        assertThat(a).hasSize(Message.PairingMessage.NONCE_BYTES).isNotEqualTo(b);
        assertThat(PairingProof.PROOF_BYTES).isEqualTo(Message.PairingMessage.HMAC_BYTES);
    }

    /** HMAC per RFC 2104, written out over plain SHA-256. */
    private static byte[] hmacSha256(byte[] key, byte[] message) throws Exception {
        byte[] block = Arrays.copyOf(key, 64);
        byte[] inner = new byte[64];
        byte[] outer = new byte[64];
        for (int i = 0; i < 64; i++) {
            inner[i] = (byte) (block[i] ^ 0x36);
            outer[i] = (byte) (block[i] ^ 0x5c);
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(inner);
        byte[] innerHash = sha.digest(message);
        sha.update(outer);
        return sha.digest(innerHash);
    }

    private static byte[] filled(int value) {
        byte[] b = new byte[PairingProof.NONCE_BYTES];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
