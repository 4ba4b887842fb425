package org.meshfold.discovery.rendezvous;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.InvalidDeviceIdException;

/**
 * Where a rendezvous server is and which key it must prove: {@code mfr://HOST:PORT/<server device id>}.
 * The id is required: a device connects only to the server whose key hashes to it, so a network
 * attacker cannot stand in for the server (the records it serves are checked separately).
 */
public record RendezvousUrl(String host, int port, DeviceId server) {
    public static final String SCHEME = "mfr";

    public RendezvousUrl {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(server, "server");
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("rendezvous URL needs a host and a port in 1-65535, got " + host + ":" + port);
        }
    }

    /** Parses {@code mfr://HOST:PORT/ID}; IPv6 hosts in brackets. */
    public static RendezvousUrl parse(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a rendezvous URL: '" + text + "' (" + e.getReason() + ")", e);
        }
        if (!SCHEME.equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("not a rendezvous URL: '" + text + "' (expected "
                    + SCHEME + "://HOST:PORT/SERVER-ID, as printed by 'meshfold rendezvous')");
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("rendezvous URL '" + text + "' lacks the server's device id after the port");
        }
        try {
            String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
            return new RendezvousUrl(host, uri.getPort(), DeviceId.parse(path));
        } catch (InvalidDeviceIdException e) {
            throw new IllegalArgumentException("rendezvous URL '" + text + "' has an invalid server id: " + e.getMessage(), e);
        }
    }

    /** The server's socket address, resolved now. */
    public InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return SCHEME + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port + "/" + server;
    }
}
