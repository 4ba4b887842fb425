package org.meshfold.transport.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.meshfold.identity.DeviceIdentity;

/**
 * Presents the device certificate for every key type and issuer the handshake asks about. The
 * JDK asks by key type ("EdDSA" for Ed25519) and by acceptable issuers; we have exactly one
 * self-signed certificate, and the peer decides by key hash, not by issuer.
 */
final class IdentityKeyManager extends X509ExtendedKeyManager {
    static final String ALIAS = "meshfold-device";
    private final DeviceIdentity identity;

    IdentityKeyManager(DeviceIdentity identity) {
        this.identity = identity;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return ALIAS;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return ALIAS;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return ALIAS;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return ALIAS;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? new X509Certificate[] {identity.certificate()} : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? identity.privateKey() : null;
    }
}
