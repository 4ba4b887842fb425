package org.meshfold.transport.tls;

import java.security.cert.CertificateException;
import org.meshfold.identity.DeviceId;

/** A TLS peer presented a key that is not one we accept; thrown inside the handshake to abort it. */
public final class UntrustedPeerException extends CertificateException {
    private final transient DeviceId device;

    public UntrustedPeerException(DeviceId device, String why) {
        super("device " + device + " " + why);
        this.device = device;
    }

    /** The device id the peer's certificate key hashes to. */
    public DeviceId device() {
        return device;
    }
}
