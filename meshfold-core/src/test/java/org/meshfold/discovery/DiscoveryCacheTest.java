package org.meshfold.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshfold.identity.DeviceId;

class DiscoveryCacheTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final DeviceId DEVICE = DeviceId.of(new byte[32]);
    private static final InetAddress SOURCE = DiscoveryOptions.ipv4(192, 0, 2, 7);
    private static final InetSocketAddress A = new InetSocketAddress(DiscoveryOptions.ipv4(192, 0, 2, 7), 22000);
    private static final InetSocketAddress B = new InetSocketAddress(DiscoveryOptions.ipv4(192, 0, 2, 8), 22000);

    private final DiscoveryCache cache = new DiscoveryCache(Duration.ofSeconds(90));

    private static Announcement at(long instance, long seconds, InetSocketAddress... addresses) {
        return new Announcement(DEVICE, List.of(addresses), instance, T0.plusSeconds(seconds));
    }

    @Test
    void record_newDevice_isNews() {
        var news = cache.record(at(1, 0, A), SOURCE, T0);

        assertThat(news).contains(new DiscoveryCache.News(List.of(A), true));
        assertThat(cache.live(T0)).isEqualTo(Map.of(DEVICE, List.of(A)));
    }

    @Test
    void record_repeat_isNotNews() {
        cache.record(at(1, 0, A), SOURCE, T0);

        assertThat(cache.record(at(1, 30, A), SOURCE, T0.plusSeconds(30))).isEmpty();
    }

    @Test
    void record_changedAddresses_isNewsOfTheSameInstance() {
        cache.record(at(1, 0, A), SOURCE, T0);

        assertThat(cache.record(at(1, 1, A, B), SOURCE, T0.plusSeconds(1)))
                .contains(new DiscoveryCache.News(List.of(A, B), false));
    }

    @Test
    void record_restartWithSameAddresses_isNewsOfANewInstance() {
        cache.record(at(1, 0, A), SOURCE, T0);

        assertThat(cache.record(at(2, 1, A), SOURCE, T0.plusSeconds(1)))
                .contains(new DiscoveryCache.News(List.of(A), true));
    }

    @Test
    void record_copyOrReplayOfOlderAnnouncement_ignored() {
        cache.record(at(1, 0, A), SOURCE, T0);
        cache.record(at(2, 10, B), SOURCE, T0.plusSeconds(10));

        assertThat(cache.record(at(2, 10, A), SOURCE, T0.plusSeconds(11))).isEmpty();
        assertThat(cache.record(at(1, 5, A), SOURCE, T0.plusSeconds(11))).isEmpty();
        assertThat(cache.live(T0.plusSeconds(11))).isEqualTo(Map.of(DEVICE, List.of(B)));
    }

    @Test
    void record_afterExpiry_isNewsAgain() {
        cache.record(at(1, 0, A), SOURCE, T0);

        assertThat(cache.live(T0.plusSeconds(90))).containsKey(DEVICE);
        assertThat(cache.live(T0.plusSeconds(91))).isEmpty();
        assertThat(cache.record(at(1, 91, A), SOURCE, T0.plusSeconds(91))).isPresent();
    }

    @Test
    void record_unspecifiedHost_replacedBySource() throws Exception {
        var any4 = new InetSocketAddress(DiscoveryOptions.ipv4(0, 0, 0, 0), 22000);
        var any6 = new InetSocketAddress(InetAddress.getByName("::"), 22001);

        var news = cache.record(at(1, 0, any4, any6, B), SOURCE, T0);

        assertThat(news.orElseThrow().addresses()).containsExactly(A, new InetSocketAddress(SOURCE, 22001), B);
    }
}
