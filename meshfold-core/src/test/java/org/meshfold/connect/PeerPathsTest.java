package org.meshfold.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshfold.connect.PeerPaths.Path;
import org.meshfold.connect.PeerPaths.Route;
import org.meshfold.identity.DeviceId;

class PeerPathsTest {
    private static final long MS = 1_000_000;
    private final PeerPaths paths = new PeerPaths(DeviceId.of(new byte[32]));
    private final Path relayed = new Path(Route.OWN_RELAY, new InetSocketAddress("203.0.113.7", 4000));
    private final Path direct = new Path(Route.DIRECT, new InetSocketAddress("198.51.100.9", 22000));
    private final Path lan = new Path(Route.DIRECT, new InetSocketAddress("10.0.0.5", 22000));

    @Test
    void proven_betterKindReplacesTheActivePath() {
        assertThat(paths.proven(relayed, PathKind.RELAYED, 0, 5 * MS)).isTrue();
        assertThat(paths.active()).contains(relayed);

        assertThat(paths.proven(direct, PathKind.DIRECT, 10 * MS, 30 * MS)).isTrue();
        assertThat(paths.active()).contains(direct);
        assertThat(paths.proven(lan, PathKind.LAN, 20 * MS, 1 * MS)).isTrue();
        assertThat(paths.activeKind()).contains(PathKind.LAN);
    }

    @Test
    void proven_sameKind_theMostRecentlyProvenPathWins() {
        Path moved = new Path(Route.DIRECT, new InetSocketAddress("198.51.100.9", 40000));
        paths.proven(direct, PathKind.DIRECT, 0, 2 * MS);

        assertThat(paths.proven(moved, PathKind.DIRECT, 5 * MS, 30 * MS)).isTrue();
        assertThat(paths.active()).contains(moved);
        assertThat(paths.proven(relayed, PathKind.RELAYED, 10 * MS, 1 * MS)).isFalse();
        assertThat(paths.active()).contains(moved);
    }

    @Test
    void expire_silentActivePath_fallsBackToTheNextBest() {
        paths.proven(relayed, PathKind.RELAYED, 100 * MS, 5 * MS);
        paths.proven(direct, PathKind.DIRECT, 0, 5 * MS);

        assertThat(paths.expire(50 * MS)).isTrue();
        assertThat(paths.active()).contains(relayed);
        assertThat(paths.expire(200 * MS)).isTrue();
        assertThat(paths.active()).isEmpty();
    }

    @Test
    void targets_everyCandidateOverEveryRouteAvailable_plusLearnedPaths() {
        InetSocketAddress a = new InetSocketAddress("198.51.100.9", 22000);
        paths.addCandidates(List.of(a, new InetSocketAddress("198.51.100.9", 0)));
        Path learned = new Path(Route.DIRECT, new InetSocketAddress("198.51.100.9", 31337));
        assertThat(paths.learn(learned)).isTrue();
        assertThat(paths.learn(learned)).isFalse();

        assertThat(paths.targets(true, true)).containsExactly(new Path(Route.DIRECT, a),
                new Path(Route.OWN_RELAY, a), learned);
        assertThat(paths.targets(false, true)).containsExactly(new Path(Route.OWN_RELAY, a));
    }

    @Test
    void addCandidates_boundedNumber() {
        for (int i = 1; i <= 100; i++) {
            paths.addCandidates(List.of(new InetSocketAddress("198.51.100.9", i)));
        }
        assertThat(paths.targets(true, false)).hasSize(PeerPaths.MAX_CANDIDATES);
    }
}
