package org.meshfold.it.natlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.meshfold.it.natlab.Probe.Datagram;

/**
 * Checks that every NAT type of the lab maps and filters as RFC 4787 describes it, with real
 * packets between probes in lab namespaces. Needs root, iproute2, nftables and conntrack; skipped
 * otherwise. "Not received" is judged by a short receive window, after which a packet that must get
 * through proves the path was live.
 */
class NatLabTest {
    private static final Duration ARRIVES = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofMillis(400);
    private static final int SERVER = 7000;
    private static final int SERVER_OTHER_PORT = 7001;
    private static final int SERVER_TCP = 7100;
    private static final AtomicInteger PORTS = new AtomicInteger(40_000);
    private static final AtomicInteger TOKENS = new AtomicInteger();

    private static NatLab lab;
    private static Probe s1;
    private static Probe s2;
    private static final Map<NatType, Probe> clients = new EnumMap<>(NatType.class);
    private static Router home;
    private static Probe homeA;
    private static Probe homeB;

    @BeforeAll
    static void buildLab() {
        String missing = NatLab.unavailableReason().orElse(null);
        assumeTrue(missing == null, missing);
        lab = NatLab.create();
        List<Host> hosts = new ArrayList<>(List.of(lab.publicHost("s1"), lab.publicHost("s2")));
        for (NatType type : NatType.values()) {
            String name = type.name().replace("_", "").toLowerCase();
            hosts.add(lab.host(name.substring(0, Math.min(8, name.length())), type));
        }
        home = lab.router("home", NatType.PORT_RESTRICTED);
        Host a = lab.hostBehind("homea", home);
        hosts.add(a);
        hosts.add(lab.hostBehindSameRouter("homeb", a));
        List<CompletableFuture<Probe>> starting = hosts.stream()
                .map(h -> CompletableFuture.supplyAsync(h::probe)).toList();
        List<Probe> probes = starting.stream().map(CompletableFuture::join).toList();
        s1 = probes.get(0);
        s2 = probes.get(1);
        for (NatType type : NatType.values()) {
            clients.put(type, probes.get(2 + type.ordinal()));
        }
        homeA = probes.get(probes.size() - 2);
        homeB = probes.get(probes.size() - 1);
        s1.udpBind(SERVER);
        s1.udpBind(SERVER_OTHER_PORT);
        s2.udpBind(SERVER);
        s1.tcpListen(SERVER_TCP);
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = NatType.class, names = "UDP_BLOCKED", mode = EnumSource.Mode.EXCLUDE)
    void publicServer_seesRouterWanAddressAndRepliesPass(NatType type) {
        Probe client = clients.get(type);
        int port = client.udpBind(PORTS.incrementAndGet());

        Datagram seen = sendAndObserve(client, port, s1, SERVER);

        assertThat(seen.address()).isEqualTo(client.host().publicAddress());
        if (type == NatType.NONE) {
            assertThat(seen.address()).isEqualTo(client.host().address());
            assertThat(seen.port()).isEqualTo(port);
        } else {
            assertThat(seen.address()).isNotEqualTo(client.host().address());
        }
        String reply = token();
        s1.udpSend(SERVER, seen.address(), seen.port(), reply);
        assertThat(client.udpReceive(port, reply, ARRIVES)).as("reply through the mapping").isPresent();
    }

    @ParameterizedTest
    @EnumSource(value = NatType.class, names = {"FULL_CONE", "ADDRESS_RESTRICTED", "PORT_RESTRICTED"})
    void mapping_coneTypes_useOneExternalPortForEveryDestination(NatType type) {
        Probe client = clients.get(type);
        int port = client.udpBind(PORTS.incrementAndGet());

        Datagram toFirst = sendAndObserve(client, port, s1, SERVER);
        Datagram toSecond = sendAndObserve(client, port, s2, SERVER);
        Datagram toOtherPort = sendAndObserve(client, port, s1, SERVER_OTHER_PORT);

        assertThat(toSecond.source()).isEqualTo(toFirst.source());
        assertThat(toOtherPort.source()).isEqualTo(toFirst.source());
    }

    @Test
    void mapping_symmetric_usesNewExternalPortPerDestination() {
        Probe client = clients.get(NatType.SYMMETRIC);
        int port = client.udpBind(PORTS.incrementAndGet());

        Datagram toFirst = sendAndObserve(client, port, s1, SERVER);
        Datagram toSecond = sendAndObserve(client, port, s2, SERVER);
        Datagram toOtherPort = sendAndObserve(client, port, s1, SERVER_OTHER_PORT);

        assertThat(List.of(toFirst.port(), toSecond.port(), toOtherPort.port())).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @EnumSource(value = NatType.class, names = {"FULL_CONE", "ADDRESS_RESTRICTED", "PORT_RESTRICTED", "SYMMETRIC"})
    void filtering_inboundThroughMapping_onlyFromEndpointsTheTypeAllows(NatType type) {
        Probe client = clients.get(type);
        int port = client.udpBind(PORTS.incrementAndGet());
        Datagram mapping = sendAndObserve(client, port, s1, SERVER);
        String fromOtherAddress = token();
        String fromOtherPort = token();

        s2.udpSend(SERVER, mapping.address(), mapping.port(), fromOtherAddress);
        s1.udpSend(SERVER_OTHER_PORT, mapping.address(), mapping.port(), fromOtherPort);
        List<String> arrived = client.udpSeen(port, QUIET);
        String fromContacted = token();
        s1.udpSend(SERVER, mapping.address(), mapping.port(), fromContacted);

        assertThat(client.udpReceive(port, fromContacted, ARRIVES)).as("packet from the contacted endpoint").isPresent();
        List<String> expected = switch (type) {
            case FULL_CONE -> List.of(fromOtherAddress, fromOtherPort);
            case ADDRESS_RESTRICTED -> List.of(fromOtherPort);
            default -> List.of();
        };
        assertThat(arrived).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void udpBlocked_dropsUdp_letsTcpThrough() {
        Probe client = clients.get(NatType.UDP_BLOCKED);
        int port = client.udpBind(PORTS.incrementAndGet());
        String udp = token();

        client.udpSend(port, s1.host().address(), SERVER, udp);

        assertThat(s1.udpReceive(SERVER, udp, QUIET)).as("UDP through a UDP-blocking router").isEmpty();
        assertThat(client.tcpConnect(s1.host().address(), SERVER_TCP, ARRIVES))
                .hasValueSatisfying(seen -> assertThat(seen).startsWith(client.host().publicAddress() + ":"));
    }

    @Test
    void blockUdp_dropsBothDirectionsForOneAddress_unblockRestores() {
        Probe client = clients.get(NatType.PORT_RESTRICTED);
        Router router = client.host().router().orElseThrow();
        int port = client.udpBind(PORTS.incrementAndGet());
        Datagram mapping = sendAndObserve(client, port, s1, SERVER);
        String out = token();
        String in = token();
        router.blockUdp(s1.host().address());
        try {
            client.udpSend(port, s1.host().address(), SERVER, out);
            s1.udpSend(SERVER, mapping.address(), mapping.port(), in);
            assertThat(s1.udpReceive(SERVER, out, QUIET)).as("packet to the blocked address").isEmpty();
            assertThat(client.udpSeen(port, QUIET)).as("packets from the blocked address").doesNotContain(in);
            sendAndObserve(client, port, s2, SERVER);
        } finally {
            router.unblockUdp(s1.host().address());
        }
        Datagram after = sendAndObserve(client, port, s1, SERVER);
        String reply = token();
        s1.udpSend(SERVER, after.address(), after.port(), reply);
        assertThat(client.udpReceive(port, reply, ARRIVES)).as("reply after unblocking").isPresent();
    }

    @Test
    void hairpin_on_deliversToSiblingWithSendersPublicMapping() {
        home.hairpin(true);
        int portA = homeA.udpBind(PORTS.incrementAndGet());
        int portB = homeB.udpBind(PORTS.incrementAndGet());
        Datagram mappingA = sendAndObserve(homeA, portA, s1, SERVER);
        Datagram mappingB = sendAndObserve(homeB, portB, s1, SERVER);

        String toB = token();
        homeA.udpSend(portA, mappingB.address(), mappingB.port(), toB);
        String toA = token();
        homeB.udpSend(portB, mappingA.address(), mappingA.port(), toA);

        assertThat(homeB.udpReceive(portB, toB, ARRIVES)).hasValueSatisfying(
                d -> assertThat(d.source()).isEqualTo(mappingA.source()));
        assertThat(homeA.udpReceive(portA, toA, ARRIVES)).hasValueSatisfying(
                d -> assertThat(d.source()).isEqualTo(mappingB.source()));
    }

    @Test
    void hairpin_off_dropsPacketsToOwnPublicAddress() {
        home.hairpin(false);
        int portA = homeA.udpBind(PORTS.incrementAndGet());
        int portB = homeB.udpBind(PORTS.incrementAndGet());
        sendAndObserve(homeA, portA, s1, SERVER);
        Datagram mappingB = sendAndObserve(homeB, portB, s1, SERVER);

        homeA.udpSend(portA, mappingB.address(), mappingB.port(), token());
        List<String> arrived = homeB.udpSeen(portB, QUIET);
        String fromServer = token();
        s1.udpSend(SERVER, mappingB.address(), mappingB.port(), fromServer);

        assertThat(arrived).isEmpty();
        assertThat(homeB.udpReceive(portB, fromServer, ARRIVES)).as("packet from the server").isPresent();
    }

    @Test
    void flushConntrack_routerForgetsMappings() {
        Probe client = clients.get(NatType.FULL_CONE);
        int port = client.udpBind(PORTS.incrementAndGet());
        Datagram mapping = sendAndObserve(client, port, s1, SERVER);

        lab.flushConntrack(client.host().router().orElseThrow());
        String afterReboot = token();
        s1.udpSend(SERVER, mapping.address(), mapping.port(), afterReboot);

        assertThat(client.udpReceive(port, afterReboot, QUIET)).as("packet through a mapping lost in the reboot").isEmpty();
        Datagram renewed = sendAndObserve(client, port, s1, SERVER);
        assertThat(renewed.address()).isEqualTo(mapping.address());
    }

    @Test
    void linkDown_cutsHost_linkUpRestoresIt() {
        Probe client = clients.get(NatType.NONE);
        int port = client.udpBind(PORTS.incrementAndGet());
        String whileDown = token();
        lab.linkDown(client.host());
        try {
            client.udpSend(port, s1.host().address(), SERVER, whileDown);
            assertThat(s1.udpReceive(SERVER, whileDown, QUIET)).as("packet over a cut link").isEmpty();
        } finally {
            lab.linkUp(client.host());
        }
        sendAndObserve(client, port, s1, SERVER);
    }

    /** Sends a fresh token from the client's port to the server and returns it as the server saw it. */
    private static Datagram sendAndObserve(Probe client, int port, Probe server, int serverPort) {
        String t = token();
        client.udpSend(port, server.host().address(), serverPort, t);
        return server.udpReceive(serverPort, t, ARRIVES).orElseThrow(() -> new AssertionError(
                "server " + server.host() + ":" + serverPort + " did not receive " + t + " from " + client.host()));
    }

    private static String token() {
        return "t" + TOKENS.incrementAndGet();
    }
}
