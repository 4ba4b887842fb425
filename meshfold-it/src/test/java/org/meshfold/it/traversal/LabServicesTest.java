package org.meshfold.it.traversal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.meshfold.it.natlab.ExecResult;
import org.meshfold.it.natlab.Host;
import org.meshfold.it.natlab.NatLab;
import org.meshfold.it.natlab.NatType;

/**
 * The lab's internet services work on their own, with coturn's own test client
 * ({@code turnutils_uclient}): TURN REST credentials from the shared secret, relaying between two
 * allocations of the server (each client sends to the other's relayed address) over TCP from
 * behind a UDP-blocking NAT and over UDP from behind a symmetric NAT; and the rendezvous server
 * keeps its URL across a restart. Needs root, iproute2, nftables, conntrack and coturn.
 */
class LabServicesTest {
    /** uclient's summary: "start_mclient: tot_send_msgs=40, tot_recv_msgs=40". */
    private static final Pattern TOTALS = Pattern.compile("tot_send_msgs=(\\d+), tot_recv_msgs=(\\d+)\\s*$",
            Pattern.MULTILINE);

    private static ServicedLab serviced;
    private static NatLab lab;
    private static LabServices services;

    @BeforeAll
    static void startLab() {
        serviced = ServicedLab.start("LabServicesTest");
        lab = serviced.lab();
        services = serviced.services();
    }

    @AfterAll
    static void stopLab() {
        if (serviced != null) {
            serviced.close();
        }
    }

    @Test
    void turn_overTcpBehindUdpBlockingNat_relaysBetweenTwoAllocations() {
        Host client = lab.host("tcpclient", NatType.UDP_BLOCKED);

        ExecResult r = relayBetweenTwoClients(client, "-t");

        assertAllDelivered(r);
    }

    @Test
    void turn_overUdpBehindSymmetricNat_relaysBetweenTwoAllocations() {
        Host client = lab.host("udpclient", NatType.SYMMETRIC);

        ExecResult r = relayBetweenTwoClients(client);

        assertAllDelivered(r);
    }

    @Test
    void rendezvous_restarted_servesTheSameUrl() {
        String url = services.rendezvous().url();

        services.rendezvous().stop();
        services.rendezvous().start();

        assertThat(url).startsWith("mfr://" + services.rendezvous().host().address() + ":" + LabRendezvous.PORT + "/");
        assertThat(services.rendezvous().url()).isEqualTo(url);
    }

    /** Two uclient sessions in one host, each sending 10 messages to the other's relayed address. */
    private static ExecResult relayBetweenTwoClients(Host client, String... transport) {
        List<String> cmd = new ArrayList<>(List.of("turnutils_uclient"));
        cmd.addAll(List.of(transport));
        cmd.addAll(List.of("-y", "-m", "2", "-n", "10", "-W", services.turn().secret(), "-u", "labuser",
                "-p", Integer.toString(LabCoturn.PORT), services.turn().host().address()));
        return client.exec(cmd.toArray(String[]::new));
    }

    private static void assertAllDelivered(ExecResult r) {
        Matcher totals = TOTALS.matcher(r.output());
        assertThat(totals.find()).as("uclient's totals in:\n" + r.output() + "\n" + services.logTails(30)).isTrue();
        int sent = Integer.parseInt(totals.group(1));
        int received = Integer.parseInt(totals.group(2));
        assertThat(sent).as(r.output()).isPositive();
        assertThat(received).as("messages relayed back, of " + sent + " sent:\n" + r.output()).isEqualTo(sent);
    }
}
