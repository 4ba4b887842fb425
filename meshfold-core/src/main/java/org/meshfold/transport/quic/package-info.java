/**
 * QUIC transport on one UDP socket per device (DESIGN §8, iroh's "magicsock" idea).
 *
 * <p>Design note. {@link org.meshfold.transport.quic.QuicTransport} binds one socket that is QUIC
 * server and client at once; a demux handler in front of netty's two quiche codecs routes each
 * datagram by its first byte (non-QUIC such as STUN to a pluggable handler) and by destination
 * connection id (our dials to the client codec, the rest to the server codec). A meshfold
 * connection is one QUIC connection with one bidirectional stream carrying the TCP framing
 * unchanged, so the protocol layer cannot tell the transports apart. Authentication reuses the TLS
 * package's Ed25519 key manager and pinning trust manager under BoringSSL (with the ed25519
 * signature algorithm set on both sides); a one-byte greeting each way on the stream keeps the
 * dialer from reporting a connection before the server has accepted its certificate. Measured
 * pitfalls of netty QUIC 4.2.18 shape the rest: {@code shutdownOutput()} overtakes queued writes
 * (end streams with FIN on the last frame, {@link org.meshfold.transport.quic.StreamEnd}), streams
 * default to half-closure (turned off, as TCP), and closing a connection from its exception handler
 * during the handshake drops the TLS alert (left to quiche).
 */
package org.meshfold.transport.quic;
