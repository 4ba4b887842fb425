package org.meshfold.nat;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A granted TURN allocation.
 *
 * @param relayed   the relayed transport address peers send to (XOR-RELAYED-ADDRESS)
 * @param reflexive our address as the TURN server sees it (XOR-MAPPED-ADDRESS), null if the
 *                  server did not say
 * @param lifetime  how long the allocation lives without a refresh
 */
public record TurnAllocation(InetSocketAddress relayed, InetSocketAddress reflexive, Duration lifetime) {
}
