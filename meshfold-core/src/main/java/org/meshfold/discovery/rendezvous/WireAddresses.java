package org.meshfold.discovery.rendezvous;

import com.google.protobuf.ByteString;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.meshfold.discovery.rendezvous.pb.Address;

/** Converts socket addresses to and from the rendezvous wire form, rejecting malformed ones. */
public final class WireAddresses {
    private WireAddresses() {
    }

    public static Address toWire(InetSocketAddress a) {
        return Address.newBuilder().setIp(ByteString.copyFrom(a.getAddress().getAddress())).setPort(a.getPort()).build();
    }

    public static List<Address> toWire(List<InetSocketAddress> addresses) {
        return addresses.stream().map(WireAddresses::toWire).toList();
    }

    /** @throws IllegalArgumentException if the ip is not 4 or 16 bytes or the port is not 1-65535 */
    public static InetSocketAddress fromWire(Address a) {
        if (a.getPort() < 1 || a.getPort() > 65535) {
            throw new IllegalArgumentException("address port " + a.getPort() + " is not in 1-65535");
        }
        if (a.getIp().size() != 4 && a.getIp().size() != 16) {
            throw new IllegalArgumentException("address of " + a.getIp().size() + " bytes, expected 4 or 16");
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(a.getIp().toByteArray()), a.getPort());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4 or 16 byte address is always valid", e);
        }
    }

    public static List<InetSocketAddress> fromWire(List<Address> addresses) {
        List<InetSocketAddress> out = new ArrayList<>(addresses.size());
        for (Address a : addresses) {
            out.add(fromWire(a));
        }
        return out;
    }
}
