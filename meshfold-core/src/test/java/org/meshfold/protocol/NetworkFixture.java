package org.meshfold.protocol;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.transport.Transport;

/**
 * Alice, bob and carol starting networks on loopback over one transport; whatever a test starts or
 * registers is closed after it, newest first.
 */
abstract class NetworkFixture {
    static DeviceIdentity alice;
    static DeviceIdentity bob;
    static DeviceIdentity carol;

    private final Transport.Factory transports;
    private final List<AutoCloseable> open = new ArrayList<>();

    NetworkFixture(Transport.Factory transports) {
        this.transports = transports;
    }

    @BeforeAll
    static void identities(@TempDir Path tmp) throws Exception {
        alice = DeviceIdentity.loadOrCreate(tmp.resolve("alice"));
        bob = DeviceIdentity.loadOrCreate(tmp.resolve("bob"));
        carol = DeviceIdentity.loadOrCreate(tmp.resolve("carol"));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    /** Registers {@code resource} to be closed after the test. */
    <T extends AutoCloseable> T closedAfterTest(T resource) {
        open.add(resource);
        return resource;
    }

    PeerNetwork start(DeviceIdentity identity, RecordingListener listener, Predicate<DeviceId> trusted) {
        return start(identity, listener, trusted, Timeouts.DEFAULT);
    }

    PeerNetwork start(DeviceIdentity identity, RecordingListener listener, Predicate<DeviceId> trusted,
            Timeouts timeouts) {
        return start(new NetworkOptions(identity, new InetSocketAddress("127.0.0.1", 0), trusted, listener), timeouts);
    }

    PeerNetwork start(NetworkOptions options, Timeouts timeouts) {
        return closedAfterTest(PeerNetwork.start(options, timeouts, transports));
    }
}
