/**
 * NAT traversal building blocks: STUN (RFC 8489) to learn this device's server-reflexive
 * address, and TURN (RFC 8656) to relay through a server when no direct path exists.
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>Codec.</b> {@link org.meshfold.nat.StunCodec} turns immutable
 *       {@link org.meshfold.nat.StunMessage}s with typed attribute records (addresses, text,
 *       numbers, error codes, bytes) into bytes and back, adding MESSAGE-INTEGRITY (HMAC-SHA1,
 *       length adjusted as in RFC 8489 §14.5) and FINGERPRINT; {@link org.meshfold.nat.ChannelData}
 *       frames relayed data in 4-byte headers. Hostile input fails with a named
 *       {@link org.meshfold.nat.StunFormatException} subclass. Exact bytes are tested against the
 *       RFC 5769 vectors.</li>
 *   <li><b>One socket.</b> The clients never own a socket. They send through a
 *       {@link org.meshfold.nat.DatagramPort} and are offered every received datagram through
 *       {@code onDatagram}, which says whether it was theirs. This lets the device's single UDP
 *       socket also carry QUIC and hole-punch probes (DESIGN §8): STUN starts with two zero bits
 *       and the magic cookie, ChannelData with {@code 01}, QUIC with {@code 1}. Until the QUIC
 *       socket exists, {@link org.meshfold.nat.UdpDatagramSocket} is a plain socket with a reader
 *       thread; {@link org.meshfold.nat.TurnTcpConnection} is the same contract over TCP for
 *       networks that block UDP.</li>
 *   <li><b>Transactions.</b> Requests are retransmitted on an injected scheduler with the RFC 8489
 *       schedule ({@link org.meshfold.nat.StunRetransmission}: RTO 500 ms doubling, Rc = 7,
 *       Rm = 16, so 39.5 s; once over TCP). A response must match the transaction id, the method
 *       and the server's address.</li>
 *   <li><b>STUN.</b> {@link org.meshfold.nat.StunClient} asks several servers at once and takes the
 *       first answer.</li>
 *   <li><b>TURN.</b> {@link org.meshfold.nat.TurnClient} holds one allocation: long-term
 *       credentials (challenge with 401, retry with MESSAGE-INTEGRITY, follow 438 stale nonces),
 *       refresh before expiry, permissions, channels (ChannelData, 4 bytes of overhead) and
 *       Send/Data indications for peers without a channel. {@link org.meshfold.nat.TurnCredentials}
 *       derives the time-limited "TURN REST API" credentials that coturn's
 *       {@code --use-auth-secret} accepts, so a rendezvous server can hand them out.</li>
 * </ul>
 *
 * <p>Tests run against a real coturn {@code turnserver} on 127.0.0.1 (Debian package
 * {@code coturn}); they fail, rather than skip, when it is missing.
 */
package org.meshfold.nat;
