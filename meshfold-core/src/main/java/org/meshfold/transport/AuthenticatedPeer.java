package org.meshfold.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import org.meshfold.identity.DeviceId;

/**
 * User event fired down a transport channel's pipeline once the peer has proven it is
 * {@code device}.
 *
 * @param initiator true if this device dialed the connection
 * @param path      "lan" or "direct" (later: "relayed"), for status output
 * @param remote    the peer's address as this device sees it
 * @param transport which transport carries the connection: {@link #TCP} or {@link #QUIC}
 * @param lane      true for a lane: an extra connection that only carries block requests for the
 *                  device's main connection (agreed in the TLS handshake, see {@link Transport#dialLane})
 */
public record AuthenticatedPeer(DeviceId device, boolean initiator, String path, InetSocketAddress remote,
        String transport, boolean lane) {
    public static final String TCP = "tcp";
    public static final String QUIC = "quic";

    public AuthenticatedPeer {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(transport, "transport");
    }

    /** A main connection. */
    public AuthenticatedPeer(DeviceId device, boolean initiator, String path, InetSocketAddress remote,
            String transport) {
        this(device, initiator, path, remote, transport, false);
    }

    /** "lan" for loopback, link-local and private addresses, otherwise "direct". */
    public static String pathTo(InetSocketAddress remote) {
        InetAddress a = remote == null ? null : remote.getAddress();
        if (a != null && (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || (a.getAddress().length == 16 && (a.getAddress()[0] & 0xfe) == 0xfc))) {
            return "lan";
        }
        return "direct";
    }

    /** "host:port", IPv6 hosts in brackets, without the resolver's "name/" prefix. */
    public static String hostPort(InetSocketAddress a) {
        if (a == null || a.getAddress() == null) {
            return String.valueOf(a);
        }
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
