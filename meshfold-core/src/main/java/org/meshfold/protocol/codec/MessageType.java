package org.meshfold.protocol.codec;

/** The {@code Envelope.type} codes of wire.proto. */
final class MessageType {
    static final int HELLO = 1;
    static final int CLUSTER_CONFIG = 2;
    static final int INDEX_UPDATE = 3;
    static final int REQUEST = 4;
    static final int RESPONSE = 5;
    static final int PING = 6;
    static final int PONG = 7;
    static final int CLOSE = 8;
    static final int PAIR_REQUEST = 9;
    static final int PAIR_CHALLENGE = 10;
    static final int PAIR_PROOF = 11;
    static final int PAIR_RESULT = 12;

    private MessageType() {
    }
}
