package org.meshfold.rendezvous;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a rendezvous server runs. Every bound is per server process; nothing is persisted.
 *
 * @param listen           where to accept device sessions (port 0: any free port)
 * @param maxSessions      concurrent device sessions; one more is refused with SERVER_FULL
 * @param maxRecords       address records held in memory
 * @param maxTtl           the furthest ahead a record may expire
 * @param requestsPerSecond steady rate of requests (lookups, punches, relays) per session
 * @param requestBurst     requests a session may send at once before the rate applies
 * @param punchDelay       how far ahead of now a coordinated punch starts, so both offers arrive first
 * @param turn             the coturn server to hand out credentials for, if any
 * @param clock            for record expiry, rate limits and punch times
 */
public record RendezvousOptions(InetSocketAddress listen, int maxSessions, int maxRecords, Duration maxTtl,
        double requestsPerSecond, int requestBurst, Duration punchDelay, Optional<Turn> turn, Clock clock) {

    /**
     * A coturn server with {@code use-auth-secret}: credentials are valid for {@code ttl}.
     *
     * @param url e.g. {@code turn:203.0.113.1:3478}
     */
    public record Turn(String url, String secret, Duration ttl) {
        public Turn {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(ttl, "ttl");
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("the TURN shared secret must not be empty");
            }
        }

        @Override
        public String toString() {
            return "Turn[url=" + url + ", ttl=" + ttl + "]";
        }
    }

    public RendezvousOptions {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(maxTtl, "maxTtl");
        Objects.requireNonNull(punchDelay, "punchDelay");
        Objects.requireNonNull(turn, "turn");
        Objects.requireNonNull(clock, "clock");
        if (maxSessions < 1 || maxRecords < 1 || requestBurst < 1 || !(requestsPerSecond > 0)) {
            throw new IllegalArgumentException("rendezvous limits must be positive");
        }
    }

    /** 10,000 sessions and records, records up to 1 hour, 10 requests/s with bursts of 20, punches 500 ms ahead. */
    public static RendezvousOptions defaults(InetSocketAddress listen) {
        return new RendezvousOptions(listen, 10_000, 10_000, Duration.ofHours(1), 10, 20, Duration.ofMillis(500),
                Optional.empty(), Clock.systemUTC());
    }

    public RendezvousOptions withTurn(Turn value) {
        return new RendezvousOptions(listen, maxSessions, maxRecords, maxTtl, requestsPerSecond, requestBurst, punchDelay,
                Optional.of(value), clock);
    }

    public RendezvousOptions withClock(Clock value) {
        return new RendezvousOptions(listen, maxSessions, maxRecords, maxTtl, requestsPerSecond, requestBurst, punchDelay,
                turn, value);
    }

    public RendezvousOptions withRequestRate(double perSecond, int burst) {
        return new RendezvousOptions(listen, maxSessions, maxRecords, maxTtl, perSecond, burst, punchDelay, turn, clock);
    }

    public RendezvousOptions withLimits(int sessions, int records) {
        return new RendezvousOptions(listen, sessions, records, maxTtl, requestsPerSecond, requestBurst, punchDelay, turn,
                clock);
    }
}
