/**
 * The self-hostable rendezvous server, started by {@code meshfold rendezvous} or embedded with
 * {@link org.meshfold.rendezvous.RendezvousServer#start}. The protocol, trust model and limits are
 * described in {@link org.meshfold.discovery.rendezvous}, next to the device end that shares its
 * codec.
 */
package org.meshfold.rendezvous;
