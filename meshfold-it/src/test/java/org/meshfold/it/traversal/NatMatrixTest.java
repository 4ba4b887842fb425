package org.meshfold.it.traversal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.meshfold.it.natlab.Host;
import org.meshfold.it.natlab.NatLab;
import org.meshfold.it.natlab.NatType;
import org.meshfold.it.natlab.Router;

/**
 * The NAT matrix: for every unordered pair of NAT types (21 pairs, each side behind its own
 * router) and for two devices behind one NAT with and without hairpinning, two {@code meshfold run}
 * daemons in lab namespaces pair with an invite code through the lab's rendezvous server and sync
 * a file each way; LAN discovery is off, so every path comes from the rendezvous server, punching,
 * TURN or the addresses in the invite. The more restrictive side invites, so the joiner has to
 * reach a device behind a NAT. Every pair must sync, on the path {@link ExpectedPath} names.
 *
 * <p>{@code -Dnatmatrix.pairs=symmetric,hairpin} runs only the pairs whose label contains one of
 * those words (the assertion then covers only them).
 *
 * <p>One lab, one coturn and one rendezvous server serve every pair; a few pairs run at once.
 * Homes and logs are kept in {@code target/natlab/NatMatrixTest-*}; a failed pair prints the end of
 * its daemons' logs. Needs root, iproute2, nftables, conntrack and coturn; skipped otherwise.
 */
class NatMatrixTest {
    /** Pairs run at once: each starts two daemons and two CLI shells, on a two-core machine. */
    private static final int CONCURRENT_PAIRS = 3;
    /** Comma-separated parts of pair labels: only those pairs run (all when unset), e.g. "symmetric,hairpin". */
    private static final String ONLY = System.getProperty("natmatrix.pairs", "");

    private record Case(String label, NatType inviter, NatType joiner, Boolean hairpin) {
        Set<String> expected() {
            return hairpin == null ? ExpectedPath.between(inviter, joiner) : ExpectedPath.sameNat();
        }
    }

    private static ServicedLab serviced;
    private static NatLab lab;
    private static LabServices services;
    private static Path dir;

    @BeforeAll
    static void startLab() {
        serviced = ServicedLab.start("NatMatrixTest");
        lab = serviced.lab();
        services = serviced.services();
        dir = serviced.dir();
    }

    @AfterAll
    static void stopLab() {
        if (serviced != null) {
            serviced.close();
        }
    }

    @Test
    void everyPairOfNatTypes_pairsThroughRendezvousAndSyncs_onTheExpectedPath() throws Exception {
        long started = System.nanoTime();
        List<Case> cases = cases();
        List<PairRun> runs = new ArrayList<>();
        List<PairRun.Outcome> outcomes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_PAIRS);
        try {
            for (int k = 0; k < cases.size(); k++) {
                runs.add(build(k, cases.get(k)));
            }
            List<Future<PairRun.Outcome>> running = new ArrayList<>();
            for (PairRun run : runs) {
                running.add(pool.submit(() -> {
                    try (run) {
                        return run.run();
                    }
                }));
            }
            for (Future<PairRun.Outcome> f : running) {
                outcomes.add(f.get());
            }
        } finally {
            pool.shutdownNow();
            runs.forEach(PairRun::close);
        }
        String table = MatrixTable.format(outcomes);
        System.out.printf("NAT matrix (%d pairs, %d at a time, %d s; homes and logs in %s):%n%s", outcomes.size(),
                CONCURRENT_PAIRS, (System.nanoTime() - started) / 1_000_000_000L, dir, table);
        Files.writeString(dir.resolve("matrix.txt"), table);

        List<String> wrong = outcomes.stream().filter(o -> !o.synced() || !o.pathExpected())
                .map(o -> o.label() + ": " + (o.synced() ? "path " + o.pathAtoB() + "/" + o.pathBtoA() + ", expected "
                        + o.expected() : "not synced (" + o.failure() + ")")).toList();
        assertThat(wrong).as("pairs that did not sync on the expected path\n" + table).isEmpty();
    }

    /** The 21 unordered pairs of NAT types, the more restrictive one inviting, then the two one-NAT cases. */
    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        NatType[] types = NatType.values();
        for (int i = 0; i < types.length; i++) {
            for (int j = i; j < types.length; j++) {
                cases.add(new Case(name(types[j]) + " / " + name(types[i]), types[j], types[i], null));
            }
        }
        for (boolean hairpin : new boolean[] {true, false}) {
            cases.add(new Case("one port-restricted NAT, hairpin " + (hairpin ? "on" : "off"),
                    NatType.PORT_RESTRICTED, NatType.PORT_RESTRICTED, hairpin));
        }
        List<String> only = List.of(ONLY.split(",")).stream().map(String::strip).filter(t -> !t.isEmpty()).toList();
        return only.isEmpty() ? cases : cases.stream().filter(c -> only.stream().anyMatch(c.label()::contains)).toList();
    }

    private static PairRun build(int k, Case c) {
        Host a;
        Host b;
        if (c.hairpin() == null) {
            a = lab.host("m" + k + "a", c.inviter());
            b = lab.host("m" + k + "b", c.joiner());
        } else {
            Router router = lab.router("m" + k + "gw", c.inviter());
            router.hairpin(c.hairpin());
            a = lab.hostBehind("m" + k + "a", router);
            b = lab.hostBehind("m" + k + "b", router);
        }
        Path pairDir = dir.resolve(String.format("%02d-%s", k, c.label().replaceAll("[^a-z0-9]+", "-")));
        return new PairRun(c.label(), a, b, c.expected(), services.rendezvous().url(), pairDir);
    }

    private static String name(NatType type) {
        return type.name().toLowerCase().replace('_', '-');
    }
}
