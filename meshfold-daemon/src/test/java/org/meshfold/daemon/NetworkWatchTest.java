package org.meshfold.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NetworkWatchTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final Deque<Optional<Set<String>>> readings = new ArrayDeque<>();
    private final AtomicInteger changes = new AtomicInteger();
    private final NetworkWatch watch = new NetworkWatch(() -> readings.isEmpty() ? Optional.empty() : readings.poll(),
            scheduler, changes::incrementAndGet);

    @Test
    void check_firstReadingIsTheBaseline_sameAddressesAreNoChange() {
        readings.add(Optional.of(Set.of("eth0 10.0.1.10")));
        readings.add(Optional.of(Set.of("eth0 10.0.1.10")));

        watch.start();
        scheduler.advance(NetworkWatch.INTERVAL);

        assertThat(changes).hasValue(0);
    }

    @Test
    void check_addressReplaced_reportsOneChangeAtTheNextReading() {
        readings.add(Optional.of(Set.of("eth0 10.0.1.10")));
        readings.add(Optional.of(Set.of("eth0 10.0.2.10")));
        readings.add(Optional.of(Set.of("eth0 10.0.2.10")));

        watch.start();
        scheduler.runDue();
        assertThat(changes).hasValue(0);
        scheduler.advance(NetworkWatch.INTERVAL);
        assertThat(changes).hasValue(1);
        scheduler.advance(NetworkWatch.INTERVAL);
        assertThat(changes).hasValue(1);
    }

    @Test
    void check_interfaceDownThenUp_twoChanges_unreadableReadingsSkipped() {
        readings.add(Optional.of(Set.of("eth0 10.0.1.10", "wlan0 192.168.1.7")));
        readings.add(Optional.empty());
        readings.add(Optional.of(Set.of("wlan0 192.168.1.7")));
        readings.add(Optional.of(Set.of("eth0 10.0.1.10", "wlan0 192.168.1.7")));

        for (int i = 0; i < 4; i++) {
            watch.check();
        }

        assertThat(changes).hasValue(2);
    }

    @Test
    void interfaceAddresses_thisMachine_readableWithoutLoopback() {
        Optional<Set<String>> here = NetworkWatch.interfaceAddresses();

        assertThat(here).isPresent();
        assertThat(here.get()).noneMatch(a -> a.endsWith(" 127.0.0.1"));
    }
}
