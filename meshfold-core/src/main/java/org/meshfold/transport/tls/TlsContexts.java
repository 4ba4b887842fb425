package org.meshfold.transport.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.function.Predicate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;

/**
 * TLS 1.3 contexts for device-to-device connections: JDK provider, mutual authentication with
 * the devices' Ed25519 certificates (signature scheme ed25519), peers pinned by {@link DeviceId}.
 * Nothing older than TLS 1.3 is offered. Contexts are immutable and may be shared by channels.
 */
public final class TlsContexts {
    public static final String PROTOCOL = "TLSv1.3";
    /** The rejection text for a client that is not trusted. */
    public static final String NOT_PAIRED = "is not paired with this device";
    /**
     * ALPN protocol id a client offers to open a lane (an extra connection for block requests);
     * the server selects it when it knows lanes. Main connections offer nothing, as before lanes.
     */
    public static final String LANE_PROTOCOL = "meshfold-lane/1";
    private static final ApplicationProtocolConfig LANE_ALPN = new ApplicationProtocolConfig(Protocol.ALPN,
            SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT, LANE_PROTOCOL);

    private TlsContexts() {
    }

    /**
     * For accepting connections: a peer gets through the handshake only if {@code trusted} accepts
     * it. The JDK context is wrapped directly: Netty's builder for JDK server contexts first probes
     * the JDK with a sample RSA key in a password-protected key store and the default trust store,
     * about 0.3 s of CPU at every daemon start that this context does not need.
     */
    public static SslContext server(DeviceIdentity identity, Predicate<DeviceId> trusted) {
        Objects.requireNonNull(trusted, "trusted");
        try {
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(new KeyManager[] {new IdentityKeyManager(identity)},
                    new TrustManager[] {new PinningTrustManager(trusted, NOT_PAIRED)}, null);
            return new JdkSslContext(context, false, null, IdentityCipherSuiteFilter.INSTANCE, LANE_ALPN,
                    ClientAuth.REQUIRE, new String[] {PROTOCOL}, false);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS server context", e);
        }
    }

    /** For dialing one peer: the handshake succeeds only if the server is exactly {@code expected}. */
    public static SslContext client(DeviceIdentity identity, DeviceId expected) {
        return client(identity, expected, false);
    }

    /** As {@link #client(DeviceIdentity, DeviceId)}, offering {@link #LANE_PROTOCOL} if {@code lane}. */
    public static SslContext client(DeviceIdentity identity, DeviceId expected, boolean lane) {
        Objects.requireNonNull(expected, "expected");
        try {
            SslContextBuilder builder = SslContextBuilder.forClient();
            if (lane) {
                builder.applicationProtocolConfig(LANE_ALPN);
            }
            return builder
                    .keyManager(new IdentityKeyManager(identity))
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOL)
                    // Peers are identified by key, not host name.
                    .endpointIdentificationAlgorithm(null)
                    .trustManager(new PinningTrustManager(expected::equals, notExpected(expected)))
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the TLS client context", e);
        }
    }

    /**
     * The key manager presenting this device's certificate for every key type asked, for TLS
     * stacks other than the JDK's (QUIC's BoringSSL) that need the same identity.
     */
    public static X509ExtendedKeyManager keyManager(DeviceIdentity identity) {
        return new IdentityKeyManager(Objects.requireNonNull(identity, "identity"));
    }

    /**
     * A trust manager applying the pinning rules of these contexts: a peer passes only if
     * {@code accepted} accepts its device id; otherwise the handshake fails with an
     * {@link UntrustedPeerException} saying "device X {@code rejection}".
     */
    public static X509ExtendedTrustManager pinning(Predicate<DeviceId> accepted, String rejection) {
        return new PinningTrustManager(Objects.requireNonNull(accepted, "accepted"), rejection);
    }

    /** The rejection text for a server that is not the device we dialed. */
    public static String notExpected(DeviceId expected) {
        return "answered, but " + expected + " was expected there";
    }

    /** The device id of the authenticated peer of a completed handshake. */
    public static DeviceId peerOf(SSLSession session) throws SSLPeerUnverifiedException {
        Certificate[] chain = session.getPeerCertificates();
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate cert)) {
            throw new SSLPeerUnverifiedException("peer presented no X.509 certificate");
        }
        return DeviceId.of(cert.getPublicKey());
    }
}
