package org.meshfold.it.natlab;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A machine of the lab: its own network namespace with one interface {@code eth0}, either on the
 * public network (no NAT) or on a router's LAN. Processes started here see only that interface and
 * loopback.
 */
public final class Host {
    private final NatLab lab;
    private final String name;
    private final String namespace;
    private final String address;
    private final Router router;
    final String upstreamNamespace;
    final String upstreamLink;

    Host(NatLab lab, String name, String namespace, String address, Router router,
            String upstreamNamespace, String upstreamLink) {
        this.lab = lab;
        this.name = name;
        this.namespace = namespace;
        this.address = address;
        this.router = router;
        this.upstreamNamespace = upstreamNamespace;
        this.upstreamLink = upstreamLink;
    }

    public String name() {
        return name;
    }

    public String namespace() {
        return namespace;
    }

    /** The host's own address: public for a host without NAT, private behind a router. */
    public String address() {
        return address;
    }

    /** The router this host is behind; empty for a public host. */
    public Optional<Router> router() {
        return Optional.ofNullable(router);
    }

    public NatType natType() {
        return router == null ? NatType.NONE : router.type();
    }

    /** The address other public hosts see for this host's packets (the router's WAN address behind NAT). */
    public String publicAddress() {
        return router == null ? address : router.wanAddress();
    }

    /** Runs a command in this host's namespace to completion (at most 20 s); stdout and stderr merged. */
    public ExecResult exec(String... command) {
        return Commands.run(null, Commands.inNamespace(namespace, List.of(command)));
    }

    /**
     * Starts a long-running process in this host's namespace with its standard streams as pipes,
     * which the caller must read or close. The lab kills it (and its descendants) when it closes.
     */
    public Process start(List<String> command) {
        return lab.startProcess(new ProcessBuilder(Commands.inNamespace(namespace, command)));
    }

    /** Starts a long-running process in this host's namespace with stdout and stderr appended to {@code log}. */
    public Process start(List<String> command, Path log) {
        ProcessBuilder builder = new ProcessBuilder(Commands.inNamespace(namespace, command))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return lab.startProcess(builder);
    }

    /** Starts a {@link UdpProbe} in this host's namespace. */
    public Probe probe() {
        return Probe.start(this);
    }

    @Override
    public String toString() {
        return name + " (" + natType() + ", " + address + ")";
    }
}
