package org.meshfold.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshfold.protocol.Message;
import org.meshfold.protocol.ProtocolException;
import org.meshfold.protocol.ProtocolException.Kind;
import org.meshfold.protocol.codec.pb.PairChallenge;
import org.meshfold.protocol.codec.pb.PairProof;
import org.meshfold.protocol.codec.pb.PairRequest;
import org.meshfold.protocol.codec.pb.PairResult;

/** The pairing messages (types 9 to 12) through the real codec. */
class PairingDecoderTest {
    private static final byte[] NONCE = filled(32, 0x5a);

    @Test
    void roundTrip_everyPairingMessage_equal() {
        List<Message> messages = List.of(
                new Message.PairRequest("photos", NONCE, "Anna's phone ✓"),
                new Message.PairChallenge(filled(32, 1)),
                new Message.PairProof(filled(32, 0xff)),
                Message.PairResult.accepted("photos", "Fotos 2026"),
                Message.PairResult.refused("this invite code was already used by another device"));

        for (Message m : messages) {
            assertThat(CodecTesting.roundTrip(m)).isEqualTo(m);
        }
    }

    @Test
    void roundTrip_nonceBytesExact() {
        byte[] nonce = new byte[32];
        for (int i = 0; i < nonce.length; i++) {
            nonce[i] = (byte) (i * 7);
        }

        var decoded = (Message.PairRequest) CodecTesting.roundTrip(new Message.PairRequest("f", nonce, ""));

        assertThat(decoded.joinerNonce()).isEqualTo(nonce);
    }

    @Test
    void decode_wrongNonceOrHmacSizes_rejected() {
        assertRejected(MessageType.PAIR_REQUEST, request().setJoinerNonce(bytes(31)).build(),
                "pair request: joiner nonce is 31 bytes, must be 32");
        assertRejected(MessageType.PAIR_REQUEST, request().clearJoinerNonce().build(),
                "pair request: joiner nonce is 0 bytes, must be 32");
        assertRejected(MessageType.PAIR_CHALLENGE, PairChallenge.newBuilder().setInviterNonce(bytes(33)).build(),
                "pair challenge: inviter nonce is 33 bytes, must be 32");
        assertRejected(MessageType.PAIR_PROOF, PairProof.newBuilder().setHmac(bytes(16)).build(),
                "pair proof: hmac is 16 bytes, must be 32");
    }

    @Test
    void decode_pairRequestBadFolderOrName_rejected() {
        ProtocolException e = CodecTesting.rejection(CodecTesting.frame(MessageType.PAIR_REQUEST,
                request().setFolder("").build()));
        assertThat(e.kind()).isEqualTo(Kind.INVALID_FOLDER);

        assertRejected(MessageType.PAIR_REQUEST, request().setDeviceName("evil\u001b[2J").build(),
                "pair request: device name 'evil\\u001b[2J' contains a control character");
        assertRejected(MessageType.PAIR_REQUEST, request().setDeviceName("x".repeat(1025)).build(),
                "pair request: device name has 1025 characters (max 1024)");
    }

    @Test
    void decode_pairResult_folderRequiredWhenOkAndLabelChecked() {
        ProtocolException e = CodecTesting.rejection(CodecTesting.frame(MessageType.PAIR_RESULT,
                PairResult.newBuilder().setOk(true).setFolderLabel("Photos").build()));
        assertThat(e.kind()).isEqualTo(Kind.INVALID_FOLDER);

        assertRejected(MessageType.PAIR_RESULT, PairResult.newBuilder().setOk(true).setFolder("f")
                .setFolderLabel("a\nb").build(), "pair result: folder label 'a\\u000ab' contains a control character");
    }

    @Test
    void decode_refusedReason_escapedAndBounded() {
        var decoded = (Message.PairResult) CodecTesting.roundTrip(Message.PairResult.refused("bad\u001b[31m" + "x".repeat(2000)));

        assertThat(decoded.ok()).isFalse();
        // 1024 code points kept, the escape character spelled out in 6 characters, then the ellipsis.
        assertThat(decoded.reason()).startsWith("bad\\u001b[31m").hasSize(1024 + 5 + 1).endsWith("…");
    }

    @Test
    void toString_pairingMessages_showNoNonceOrProofBytes() {
        assertThat(new Message.PairProof(filled(32, 0xab)).toString()).isEqualTo("PairProof");
        assertThat(new Message.PairChallenge(NONCE).toString()).isEqualTo("PairChallenge");
        assertThat(new Message.PairRequest("photos", NONCE, "phone").toString())
                .isEqualTo("PairRequest[folderId=photos, deviceName=phone]");
    }

    @Test
    void records_copyTheirBytes() {
        byte[] nonce = NONCE.clone();
        var request = new Message.PairRequest("f", nonce, "");

        nonce[0] = 0;
        request.joinerNonce()[1] = 0;

        assertThat(request.joinerNonce()).isEqualTo(NONCE);
    }

    private static PairRequest.Builder request() {
        return PairRequest.newBuilder().setFolder("photos").setJoinerNonce(ByteString.copyFrom(NONCE))
                .setDeviceName("phone");
    }

    private static void assertRejected(int type, MessageLite payload, String message) {
        ProtocolException e = CodecTesting.rejection(CodecTesting.frame(type, payload));
        assertThat(e.kind()).isEqualTo(Kind.INVALID_PAIRING);
        assertThat(e).hasMessage(message);
    }

    private static ByteString bytes(int length) {
        return ByteString.copyFrom(filled(length, 3));
    }

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
