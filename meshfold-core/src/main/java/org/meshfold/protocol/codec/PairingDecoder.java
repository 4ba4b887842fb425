package org.meshfold.protocol.codec;

import com.google.protobuf.ByteString;
import org.meshfold.protocol.Message;
import org.meshfold.protocol.Message.PairingMessage;
import org.meshfold.protocol.ProtocolException;
import org.meshfold.protocol.ProtocolException.Kind;
import org.meshfold.protocol.codec.pb.PairChallenge;
import org.meshfold.protocol.codec.pb.PairProof;
import org.meshfold.protocol.codec.pb.PairRequest;
import org.meshfold.protocol.codec.pb.PairResult;

/**
 * Validates the pairing messages. They come from a device that is not paired yet, so names and
 * labels meant for the user's screen must not carry control characters.
 */
final class PairingDecoder {
    private PairingDecoder() {
    }

    static Message request(PairRequest r) throws ProtocolException {
        return new Message.PairRequest(FieldRules.folderId(r.getFolder()),
                exact(r.getJoinerNonce(), PairingMessage.NONCE_BYTES, "pair request: joiner nonce"),
                displayText(r.getDeviceName(), "pair request: device name"));
    }

    static Message challenge(PairChallenge c) throws ProtocolException {
        return new Message.PairChallenge(exact(c.getInviterNonce(), PairingMessage.NONCE_BYTES,
                "pair challenge: inviter nonce"));
    }

    static Message proof(PairProof p) throws ProtocolException {
        return new Message.PairProof(exact(p.getHmac(), PairingMessage.HMAC_BYTES, "pair proof: hmac"));
    }

    static Message result(PairResult r) throws ProtocolException {
        String label = displayText(r.getFolderLabel(), "pair result: folder label");
        if (r.getOk()) {
            return Message.PairResult.accepted(FieldRules.folderId(r.getFolder()), label);
        }
        String folder = r.getFolder().isEmpty() ? "" : FieldRules.folderId(r.getFolder());
        return new Message.PairResult(false, FieldRules.printable(r.getReason(), WireDecoder.MAX_TEXT_CHARS),
                folder, label);
    }

    private static byte[] exact(ByteString bytes, int length, String what) throws ProtocolException {
        if (bytes.size() != length) {
            throw new ProtocolException(Kind.INVALID_PAIRING, what + " is " + bytes.size() + " bytes, must be " + length);
        }
        return bytes.toByteArray();
    }

    private static String displayText(String value, String what) throws ProtocolException {
        FieldRules.text(value, WireDecoder.MAX_TEXT_CHARS, Kind.INVALID_PAIRING, what);
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new ProtocolException(Kind.INVALID_PAIRING, what + " '" + FieldRules.printable(value)
                    + "' contains a control character");
        }
        return value;
    }
}
