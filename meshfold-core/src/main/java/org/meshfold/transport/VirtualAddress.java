package org.meshfold.transport;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import org.meshfold.identity.DeviceId;

/**
 * A stand-in socket address for a device reached over the shared UDP socket's managed paths
 * (punched direct, or relayed through TURN). QUIC connects to the device's virtual address; a
 * handler under QUIC maps it to whichever real path is best at the moment, so the path can change
 * under a live connection. Virtual addresses are in {@code fd6d:6600::/24} (IPv6 unique local,
 * never routed) and never reach the operating system.
 */
public final class VirtualAddress {
    private static final byte[] PREFIX = {(byte) 0xfd, 0x6d, 0x66};
    private static final int PORT = 1;

    private VirtualAddress() {
    }

    /** The virtual address of {@code device}: the prefix and the first 13 bytes of its id. */
    public static InetSocketAddress of(DeviceId device) {
        byte[] ip = new byte[16];
        System.arraycopy(PREFIX, 0, ip, 0, PREFIX.length);
        System.arraycopy(device.bytes(), 0, ip, PREFIX.length, 16 - PREFIX.length);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), PORT);
        } catch (UnknownHostException e) {
            throw new AssertionError("16 bytes are always an IPv6 address", e);
        }
    }

    /** Whether {@code address} is a virtual address (of any device). */
    public static boolean isVirtual(InetSocketAddress address) {
        return address != null && address.getPort() == PORT && address.getAddress() instanceof Inet6Address ip
                && Arrays.equals(ip.getAddress(), 0, PREFIX.length, PREFIX, 0, PREFIX.length);
    }
}
