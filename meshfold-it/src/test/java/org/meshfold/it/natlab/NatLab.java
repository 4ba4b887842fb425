package org.meshfold.it.natlab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A network of Linux network namespaces with NAT routers between private hosts and a public
 * "internet", for connectivity tests that need real NAT behaviour. Needs root, iproute2, nftables
 * and conntrack ({@link #unavailableReason()} says what is missing).
 *
 * <p>Design. Every namespace is named {@code mf<4 random chars>-<name>} so that several labs and
 * leftovers never collide. The internet is namespace {@code <prefix>net} holding a bridge
 * {@code inet} with addresses 203.0.113.1/24 (servers and public hosts, {@link #publicHost}) and
 * 198.51.100.1/24 (router WAN sides), routing between the two. Each router ({@link #router}) is a
 * namespace with interface {@code wan} (198.51.100.10 and up) and bridge {@code lan} (10.0.N.1/24);
 * hosts behind it ({@link #hostBehind}) get 10.0.N.10 and up. Every host has a single
 * interface {@code eth0}, the end of a veth pair whose other end is a port of the upstream bridge;
 * {@link #linkDown} sets that port down, which cuts the host without touching its own
 * configuration. Namespaces are joined to each other by veth pairs only, never to the root
 * namespace, so no lab packet can leave the lab; IPv6 is off in every lab namespace and ICMP
 * redirects are not sent.
 *
 * <p>NAT types, as built by {@link NatRules}: port-restricted is plain masquerading, symmetric is
 * masquerading with fully random ports, full-cone and address-restricted keep their mappings in nft
 * maps filled from the packet path and forward inbound packets through them; UDP-blocked drops
 * every forwarded UDP packet. Unsolicited inbound packets are dropped, never rejected, as home
 * routers do; {@code sch_netem} is absent on the build kernel, so the lab adds no delay or loss.
 *
 * <p>{@link #close()} kills every process started through the lab and deletes every namespace it
 * created, also for a lab that failed halfway through building; a JVM shutdown hook does the same
 * if the test run is interrupted.
 */
public final class NatLab implements AutoCloseable {
    public static final String INTERNET_GATEWAY = "203.0.113.1";
    public static final String WAN_GATEWAY = "198.51.100.1";
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9]{1,12}");

    private final String prefix;
    private final String internet;
    private final List<String> namespaces = Collections.synchronizedList(new ArrayList<>());
    private final List<Process> processes = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> names = new HashSet<>();
    private final Thread shutdownHook = new Thread(this::deleteEverything, "natlab-cleanup");
    private int links;
    private int publicHosts;
    private int routers;
    private boolean closed;

    private NatLab() {
        String tag = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36, 36 * 36 * 36 * 36), 36);
        this.prefix = "mf" + tag + "-";
        this.internet = prefix + "net";
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Empty when this machine can build a lab, else what is missing. */
    public static Optional<String> unavailableReason() {
        try {
            boolean root = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(l -> l.matches("Uid:\\s+\\d+\\s+0\\s.*"));
            if (!root) {
                return Optional.of("the NAT lab needs root (network namespaces, nftables)");
            }
        } catch (IOException e) {
            return Optional.of("cannot read /proc/self/status to check for root: " + e.getMessage());
        }
        for (String[] tool : new String[][] {{"ip", "-V", "iproute2"}, {"nft", "--version", "nftables"},
                {"conntrack", "--version", "conntrack"}, {"ethtool", "--version", "ethtool"}}) {
            if (!Commands.run(tool[0], tool[1]).ok()) {
                return Optional.of("the NAT lab needs " + tool[0] + " (Debian package " + tool[2] + ")");
            }
        }
        return Optional.empty();
    }

    /** Creates the internet namespace; add routers and hosts to it. */
    public static NatLab create() {
        NatLab lab = new NatLab();
        try {
            lab.namespace(lab.internet, true);
            lab.ip(lab.internet, "link", "add", "inet", "type", "bridge");
            lab.ip(lab.internet, "addr", "add", INTERNET_GATEWAY + "/24", "dev", "inet");
            lab.ip(lab.internet, "addr", "add", WAN_GATEWAY + "/24", "dev", "inet");
            lab.ip(lab.internet, "link", "set", "inet", "up");
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** A host with a public address (203.0.113.10 and up) and no NAT: servers, or the NONE type. */
    public synchronized Host publicHost(String name) {
        String ns = claim(name);
        String address = "203.0.113." + (10 + ++publicHosts);
        return attach(name, ns, address, INTERNET_GATEWAY, null, internet, "inet");
    }

    /** A NAT router of the given type with its WAN side on the public network. */
    public synchronized Router router(String name, NatType type) {
        if (type == NatType.NONE) {
            throw new IllegalArgumentException("NatType.NONE has no router: use publicHost(\"" + name + "\")");
        }
        String ns = claim(name);
        int n = ++routers;
        Router router = new Router(name, ns, type, "198.51.100." + (9 + n), "10.0." + n);
        namespace(ns, true);
        String link = "p" + ++links;
        ip(internet, "link", "add", link, "type", "veth", "peer", "name", "wan", "netns", ns);
        ip(internet, "link", "set", link, "master", "inet", "up");
        ip(ns, "addr", "add", router.wanAddress() + "/24", "dev", "wan");
        ip(ns, "link", "set", "wan", "up");
        ip(ns, "route", "add", "default", "via", WAN_GATEWAY);
        ip(ns, "link", "add", "lan", "type", "bridge");
        ip(ns, "addr", "add", router.lanAddress() + "/24", "dev", "lan");
        ip(ns, "link", "set", "lan", "up");
        router.nft(NatRules.ruleset(type, router.wanAddress(), router.lanCidr()));
        return router;
    }

    /** A host on the router's LAN; several hosts behind one router share that LAN. */
    public synchronized Host hostBehind(String name, Router router) {
        String ns = claim(name);
        return attach(name, ns, router.nextHostAddress(), router.lanAddress(), router, router.namespace(), "lan");
    }

    /** A host on the same LAN as {@code sibling}, behind the same router. */
    public Host hostBehindSameRouter(String name, Host sibling) {
        return hostBehind(name, sibling.router().orElseThrow(() -> new IllegalArgumentException(
                sibling + " is a public host, not behind a router")));
    }

    /** A host of the given type: a public host for NONE, else a host behind a new router named {@code name + "gw"}. */
    public Host host(String name, NatType type) {
        return type == NatType.NONE ? publicHost(name) : hostBehind(name, router(name + "gw", type));
    }

    /** Simulates a router reboot: forgets every connection and mapping, so every binding is new. */
    public void flushConntrack(Router router) {
        router.nft(NatRules.forgetMappings());
        Commands.run(null, Commands.inNamespace(router.namespace(), List.of("conntrack", "-F"))).requireSuccess();
    }

    /** Cuts the host's link: every packet to or from it is lost until {@link #linkUp}. */
    public void linkDown(Host host) {
        ip(host.upstreamNamespace, "link", "set", host.upstreamLink, "down");
    }

    public void linkUp(Host host) {
        ip(host.upstreamNamespace, "link", "set", host.upstreamLink, "up");
    }

    Process startProcess(ProcessBuilder builder) {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the NAT lab is closed");
            }
        }
        try {
            Process p = builder.start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new NatLabException("cannot start " + String.join(" ", builder.command()), e);
        }
    }

    /**
     * Moves {@code host} to the LAN behind {@code router}, or to the public network if {@code router}
     * is null, as a laptop that changes networks: its interface {@code eth0} is replaced by one on the
     * new network, with a new address; processes in the host keep running but see the old address
     * vanish. Returns the host as it is now ({@code host} keeps describing where it was).
     */
    public synchronized Host move(Host host, Router router) {
        if (closed) {
            throw new IllegalStateException("the NAT lab is closed");
        }
        ip(host.upstreamNamespace, "link", "del", host.upstreamLink);
        return router == null
                ? wire(host.name(), host.namespace(), "203.0.113." + (10 + ++publicHosts), INTERNET_GATEWAY, null,
                        internet, "inet")
                : wire(host.name(), host.namespace(), router.nextHostAddress(), router.lanAddress(), router,
                        router.namespace(), "lan");
    }

    private Host attach(String name, String ns, String address, String gateway, Router router,
            String upstream, String bridge) {
        namespace(ns, false);
        return wire(name, ns, address, gateway, router, upstream, bridge);
    }

    /** Gives namespace {@code ns} the interface {@code eth0} on {@code bridge} of {@code upstream}. */
    private Host wire(String name, String ns, String address, String gateway, Router router,
            String upstream, String bridge) {
        String link = "p" + ++links;
        ip(upstream, "link", "add", link, "type", "veth", "peer", "name", "eth0", "netns", ns);
        ip(upstream, "link", "set", link, "master", bridge, "up");
        ip(ns, "addr", "add", address + "/24", "dev", "eth0");
        ip(ns, "link", "set", "eth0", "up");
        ip(ns, "route", "add", "default", "via", gateway);
        return new Host(this, name, ns, address, router, upstream, link);
    }

    private String claim(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("lab names are 1 to 12 letters or digits, not '" + name + "'");
        }
        if (!names.add(name)) {
            throw new IllegalArgumentException("the lab already has a machine named '" + name + "'");
        }
        if (closed) {
            throw new IllegalStateException("the NAT lab is closed");
        }
        return prefix + name;
    }

    private void namespace(String ns, boolean forwards) {
        Commands.run("ip", "netns", "add", ns).requireSuccess();
        namespaces.add(ns);
        ip(ns, "link", "set", "lo", "up");
        // /proc/sys/net shows the namespace of the writing process; sh avoids depending on procps.
        StringBuilder settings = new StringBuilder();
        for (String key : List.of("ipv6/conf/all/disable_ipv6", "ipv6/conf/default/disable_ipv6",
                "ipv4/conf/all/send_redirects", "ipv4/conf/default/send_redirects", "ipv4/ip_forward")) {
            String value = key.startsWith("ipv6") ? "1" : key.equals("ipv4/ip_forward") && forwards ? "1" : "0";
            settings.append("echo ").append(value).append(" > /proc/sys/net/").append(key).append(" && ");
        }
        settings.append("true");
        Commands.run(null, Commands.inNamespace(ns, List.of("sh", "-c", settings.toString()))).requireSuccess();
    }

    private void ip(String ns, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(args));
        Commands.run(null, cmd).requireSuccess();
    }

    /** Kills the lab's processes and deletes its namespaces; safe to call more than once. */
    @Override
    public void close() {
        deleteEverything();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and runs the hook itself.
        }
    }

    private void deleteEverything() {
        synchronized (this) {
            closed = true;
        }
        List<Process> running;
        synchronized (processes) {
            running = new ArrayList<>(processes);
            processes.clear();
        }
        for (Process p : running) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : running) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<String> created;
        synchronized (namespaces) {
            created = new ArrayList<>(namespaces);
            namespaces.clear();
        }
        Collections.reverse(created);
        List<String> failures = new ArrayList<>();
        for (String ns : created) {
            ExecResult r = Commands.run("ip", "netns", "del", ns);
            if (!r.ok()) {
                failures.add(ns + ": " + r.output().strip());
            }
        }
        if (!failures.isEmpty()) {
            System.err.println("NAT lab: could not delete namespaces " + failures);
        }
    }

    @Override
    public String toString() {
        return "NatLab " + prefix + " " + namespaces;
    }
}
