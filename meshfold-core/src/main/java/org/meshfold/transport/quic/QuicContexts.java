package org.meshfold.transport.quic;

import io.netty.handler.codec.quic.BoringSSLContextOption;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.ssl.ClientAuth;
import java.util.function.Predicate;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.transport.tls.TlsContexts;

/**
 * BoringSSL contexts for QUIC with the same identity and pinning as {@link TlsContexts}: the
 * device's Ed25519 certificate, mutual authentication, peers accepted by device id only. QUIC is
 * always TLS 1.3. BoringSSL offers Ed25519 only when asked to: the signature algorithm list is
 * set on both sides, or the handshake fails for lack of a common scheme.
 */
final class QuicContexts {
    /** ALPN protocol id of the meshfold wire protocol over QUIC. */
    static final String ALPN = "meshfold/1";
    private static final String[] SIGNATURE_ALGORITHMS = {"ed25519"};

    private QuicContexts() {
    }

    /** For accepting connections: a client gets through the handshake only if {@code trusted} accepts it. */
    static QuicSslContext server(DeviceIdentity identity, Predicate<DeviceId> trusted) {
        return QuicSslContextBuilder.forServer(TlsContexts.keyManager(identity), null)
                .trustManager(TlsContexts.pinning(trusted, TlsContexts.NOT_PAIRED))
                .clientAuth(ClientAuth.REQUIRE)
                .applicationProtocols(ALPN)
                .option(BoringSSLContextOption.SIGNATURE_ALGORITHMS, SIGNATURE_ALGORITHMS)
                .earlyData(false)
                .build();
    }

    /**
     * For dialing one device: the server passes only if {@code accepted} accepts it, which should
     * be true for exactly the expected device (the predicate may also record what it saw).
     */
    static QuicSslContext client(DeviceIdentity identity, DeviceId expected, Predicate<DeviceId> accepted) {
        return QuicSslContextBuilder.forClient()
                .keyManager(TlsContexts.keyManager(identity), null)
                .trustManager(TlsContexts.pinning(accepted, TlsContexts.notExpected(expected)))
                .applicationProtocols(ALPN)
                .option(BoringSSLContextOption.SIGNATURE_ALGORITHMS, SIGNATURE_ALGORITHMS)
                .earlyData(false)
                .build();
    }
}
