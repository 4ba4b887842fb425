package org.meshfold.transport.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Predicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.meshfold.identity.DeviceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a peer only by the SHA-256 of its certificate's public key (its {@link DeviceId}), never
 * by CA, name or dates: there is no CA, and the certificate is just the carrier of the key.
 * Possession of the key is proven by the TLS 1.3 CertificateVerify message, so the self-signature
 * need not be checked. Rejection throws inside the handshake, so an unknown device never gets
 * past TLS.
 */
final class PinningTrustManager extends X509ExtendedTrustManager {
    private static final Logger log = LoggerFactory.getLogger(PinningTrustManager.class);
    private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

    private final Predicate<DeviceId> accepted;
    private final String rejection;

    /**
     * @param accepted  decides whether a peer device may connect
     * @param rejection completes "device X ..." in the error and log line, e.g. "is not paired"
     */
    PinningTrustManager(Predicate<DeviceId> accepted, String rejection) {
        this.accepted = accepted;
        this.rejection = rejection;
    }

    /** Checks a chain the way the handshake does; the device id on success. */
    DeviceId verify(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("peer presented no certificate");
        }
        String algorithm = chain[0].getPublicKey().getAlgorithm();
        if (!algorithm.equals("EdDSA") && !algorithm.equals("Ed25519")) {
            throw new CertificateException("peer key is " + algorithm + ", meshfold devices use Ed25519");
        }
        DeviceId device = DeviceId.of(chain[0].getPublicKey());
        if (!accepted.test(device)) {
            log.warn("rejected TLS peer: device {} {}", device, rejection);
            throw new UntrustedPeerException(device, rejection);
        }
        return device;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NO_ISSUERS;
    }
}
