package org.meshfold.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.meshfold.discovery.rendezvous.RendezvousUrl;

/**
 * How a device finds paired devices across the internet: the rendezvous servers it keeps a
 * session with (all of them at once), and a TURN server it may relay through.
 *
 * @param servers at most {@link #MAX_SERVERS} distinct servers; empty means no rendezvous
 * @param turn    a TURN server with its long-term credentials, if configured (credentials may
 *                also come from a rendezvous server)
 */
public record RendezvousConfig(List<RendezvousUrl> servers, Optional<TurnServer> turn) {
    /** As many as an invite code carries. */
    public static final int MAX_SERVERS = 8;
    /** No rendezvous server, no TURN server: devices are reached on the LAN and at configured addresses. */
    public static final RendezvousConfig NONE = new RendezvousConfig(List.of(), Optional.empty());

    public RendezvousConfig {
        servers = List.copyOf(servers);
        Objects.requireNonNull(turn, "turn");
        if (servers.size() > MAX_SERVERS) {
            throw new ConfigException("at most " + MAX_SERVERS + " rendezvous servers, got " + servers.size());
        }
        if (servers.stream().distinct().count() != servers.size()) {
            throw new ConfigException("a rendezvous server is listed twice: " + servers);
        }
    }

    /**
     * Parses a comma-separated list of {@code mfr://HOST:PORT/SERVER-ID} URLs.
     *
     * @throws ConfigException naming the malformed URL and why
     */
    public static List<RendezvousUrl> parseServers(String text) {
        List<RendezvousUrl> out = new java.util.ArrayList<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                out.add(RendezvousUrl.parse(part.trim()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage(), e);
            }
        }
        return out;
    }

    public RendezvousConfig withServers(List<RendezvousUrl> value) {
        return new RendezvousConfig(value, turn);
    }

    public RendezvousConfig withTurn(Optional<TurnServer> value) {
        return new RendezvousConfig(servers, value);
    }
}
