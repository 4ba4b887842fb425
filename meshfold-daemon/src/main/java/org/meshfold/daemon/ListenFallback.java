package org.meshfold.daemon;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.function.Function;
import org.meshfold.protocol.PeerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a peer network on the configured address, or, if that cannot be bound (say, a second
 * device home on the same machine holds the port), on a free port of the same host.
 */
final class ListenFallback {
    private static final Logger log = LoggerFactory.getLogger(ListenFallback.class);

    private ListenFallback() {
    }

    static PeerNetwork start(InetSocketAddress preferred, Function<InetSocketAddress, PeerNetwork> start) {
        try {
            return start.apply(preferred);
        } catch (UncheckedIOException e) {
            if (preferred.getPort() == 0) {
                throw e;
            }
            PeerNetwork fallback = start.apply(new InetSocketAddress(preferred.getAddress(), 0));
            log.warn("{}; listening on {} instead (set 'listen' in the configuration to choose a port)",
                    e.getMessage(), fallback.listenAddress());
            return fallback;
        }
    }
}
