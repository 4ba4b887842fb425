package org.meshfold.nat;

import java.time.Duration;
import java.util.Objects;

/**
 * Request retransmission (RFC 8489 §6.2.1): over UDP the request is sent at 0, RTO, 3·RTO, 7·RTO …
 * (the interval doubling) up to {@code maxSends} times (Rc), and the transaction fails
 * {@code lastWaitFactor} (Rm) × RTO after the last send. Over TCP a request is sent once.
 */
public record StunRetransmission(Duration initialRto, int maxSends, int lastWaitFactor) {
    /** RTO 500 ms, Rc = 7, Rm = 16: a transaction times out after 39.5 s. */
    public static final StunRetransmission DEFAULT = new StunRetransmission(Duration.ofMillis(500), 7, 16);

    public StunRetransmission {
        Objects.requireNonNull(initialRto, "initialRto");
        if (initialRto.isNegative() || initialRto.isZero() || maxSends < 1 || lastWaitFactor < 1) {
            throw new IllegalArgumentException("retransmission needs a positive RTO, sends and wait factor");
        }
    }

    /** One send and a plain timeout, for reliable transports (RFC 8489: 39.5 s over TCP). */
    public static StunRetransmission reliable(Duration timeout) {
        return new StunRetransmission(timeout, 1, 1);
    }

    /** How long to wait after send number {@code sent} (1-based) before resending or giving up. */
    Duration waitAfter(int sent) {
        return sent >= maxSends ? initialRto.multipliedBy(lastWaitFactor) : initialRto.multipliedBy(1L << (sent - 1));
    }
}
