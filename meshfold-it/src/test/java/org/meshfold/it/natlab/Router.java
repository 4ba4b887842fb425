package org.meshfold.it.natlab;

import java.util.List;

/**
 * A NAT router of the lab: its own namespace with interface {@code wan} on the public network
 * (198.51.100.0/24) and bridge {@code lan} carrying a private /24 for the hosts behind it.
 * Hairpinning is off until {@link #hairpin(boolean)} turns it on.
 */
public final class Router {
    private final String name;
    private final String namespace;
    private final NatType type;
    private final String wanAddress;
    private final String lanPrefix;
    private int hosts;

    Router(String name, String namespace, NatType type, String wanAddress, String lanPrefix) {
        this.name = name;
        this.namespace = namespace;
        this.type = type;
        this.wanAddress = wanAddress;
        this.lanPrefix = lanPrefix;
    }

    public String name() {
        return name;
    }

    public String namespace() {
        return namespace;
    }

    public NatType type() {
        return type;
    }

    /** The router's public address: what servers see as the source of its hosts' packets. */
    public String wanAddress() {
        return wanAddress;
    }

    /** The router's address on its LAN, the hosts' gateway. */
    public String lanAddress() {
        return lanPrefix + ".1";
    }

    public String lanCidr() {
        return lanPrefix + ".0/24";
    }

    /** Turns forwarding of LAN packets addressed to the router's own public mappings on or off. */
    public void hairpin(boolean on) {
        nft(NatRules.hairpin(on, wanAddress));
    }

    /**
     * Drops every UDP packet between the router's hosts and {@code address} (both directions) until
     * {@link #unblockUdp}; other destinations and TCP are not affected.
     */
    public void blockUdp(String address) {
        nft(NatRules.blockUdp(address, true));
    }

    /** Lets UDP to and from {@code address} through again. */
    public void unblockUdp(String address) {
        nft(NatRules.blockUdp(address, false));
    }

    /** Runs a command in the router's namespace. */
    public ExecResult exec(String... command) {
        return Commands.run(null, Commands.inNamespace(namespace, List.of(command)));
    }

    void nft(String script) {
        Commands.run(script, Commands.inNamespace(namespace, List.of("nft", "-f", "-"))).requireSuccess();
    }

    synchronized String nextHostAddress() {
        hosts++;
        return lanPrefix + "." + (9 + hosts);
    }

    @Override
    public String toString() {
        return name + " (" + type + ", " + wanAddress + ")";
    }
}
