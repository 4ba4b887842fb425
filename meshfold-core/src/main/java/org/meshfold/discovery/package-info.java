/**
 * Finding paired devices: where they can be reached, learned from signed announcements.
 *
 * <p>{@link org.meshfold.discovery.LanDiscovery} covers the local network: UDP multicast
 * ({@code 239.255.77.77}) and per-interface broadcast on port 21025, announcements signed with
 * the device's Ed25519 key, sent at start, on address changes, in answer to a newcomer and every
 * 30 s. The composition root builds it with {@link org.meshfold.discovery.DiscoveryOptions#lan()},
 * the paired-device filter and a {@link org.meshfold.discovery.DiscoveryListener} that hands the
 * addresses to the connection layer; the class comment of {@code LanDiscovery} explains the design.
 *
 * <p>Measured: between two network namespaces joined by a veth pair, a device that starts while
 * another is running finds it in 55-120 ms (multicast, broadcast, or both); on loopback in 10-80 ms.
 */
package org.meshfold.discovery;
