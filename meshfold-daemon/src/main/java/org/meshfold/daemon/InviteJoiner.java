package org.meshfold.daemon;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.meshfold.discovery.rendezvous.LookupResult;
import org.meshfold.identity.DeviceId;
import org.meshfold.connect.PathKind;
import org.meshfold.connect.PathSwitch;
import org.meshfold.transport.VirtualAddress;
import org.meshfold.discovery.rendezvous.RendezvousClient;
import org.meshfold.discovery.rendezvous.RendezvousListener;
import org.meshfold.discovery.rendezvous.RendezvousUrl;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.pairing.Invite;
import org.meshfold.pairing.PairingFailedException;
import org.meshfold.pairing.PairingFailedException.Reason;
import org.meshfold.pairing.PairingOutcome;
import org.meshfold.protocol.PeerNetwork;
import org.meshfold.transport.TcpTlsTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The joiner's way to the inviter: first the addresses in the invite code; if none of them
 * answers and the code names rendezvous servers, the inviter's addresses as published there
 * (looked up with a short-lived session of the joiner's own, verified against the inviter's key).
 */
public final class InviteJoiner {
    private static final Logger log = LoggerFactory.getLogger(InviteJoiner.class);
    /** A rendezvous lookup is a TLS handshake and one round trip; this bounds a dead server. */
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);
    /** Failures that say "the code's addresses are wrong or stale", not "the inviter said no". */
    private static final Set<Reason> NOT_REACHED = Set.of(Reason.UNREACHABLE, Reason.TIMEOUT, Reason.WRONG_DEVICE);
    /** Failures that are the inviter's answer: trying another way cannot change them. */
    private static final Set<Reason> ANSWERED = Set.of(Reason.REFUSED, Reason.ALREADY_PAIRED, Reason.NOT_ACCEPTING);

    private InviteJoiner() {
    }

    /**
     * Pairs with {@code invite}'s inviter over {@code network}. Blocks while pairing.
     *
     * @throws PairingFailedException as {@link PeerNetwork#pair}, or UNREACHABLE naming what was tried
     */
    public static PairingOutcome pair(PeerNetwork network, DeviceIdentity identity, Invite invite, String deviceName,
            Clock clock) throws PairingFailedException, InterruptedException {
        return pair(network, identity, invite, deviceName, clock, null);
    }

    /**
     * As above, for a device that can punch through NATs: {@code reach} (null: cannot) punches to
     * the inviter through this device's rendezvous sessions while the code's addresses are tried;
     * once a path is proven, pairing runs over it too (the inviter's {@link VirtualAddress}), and
     * the first pairing that succeeds counts. A broken connection at one of the code's addresses
     * (which may reach a stranger, such as this device's own loopback) does not end the attempt.
     */
    public static PairingOutcome pair(PeerNetwork network, DeviceIdentity identity, Invite invite, String deviceName,
            Clock clock, Function<DeviceId, CompletableFuture<Void>> reach)
            throws PairingFailedException, InterruptedException {
        if (invite.rendezvousUrls().isEmpty()) {
            return await(network.pair(invite, deviceName));
        }
        PairingFailedException direct = null;
        CompletableFuture<PairingOutcome> attempts = attempts(network, invite, deviceName, reach);
        if (attempts != null) {
            try {
                return await(attempts);
            } catch (PairingFailedException e) {
                if (ANSWERED.contains(e.reason()) || (reach == null && !NOT_REACHED.contains(e.reason()))) {
                    throw e;
                }
                direct = e;
                log.info("{}; looking the inviting device up at the code's rendezvous servers", e.getMessage());
            }
        }
        List<String> problems = new ArrayList<>();
        List<InetSocketAddress> found = lookUp(identity, invite, clock, problems);
        found.removeAll(invite.addresses());
        if (found.isEmpty()) {
            String tried = direct == null ? "" : direct.getMessage() + "; ";
            throw new PairingFailedException(Reason.UNREACHABLE, tried + "no rendezvous server of the code knows "
                    + "another address of the inviting device (" + String.join("; ", problems) + ")", direct);
        }
        log.info("rendezvous knows the inviting device at {}", found);
        Invite viaRendezvous = new Invite(invite.inviter(), invite.folderId(), invite.folderLabel(), found,
                invite.rendezvousUrls(), invite.secret(), invite.expiry());
        return await(network.pair(viaRendezvous, deviceName));
    }

    /**
     * The code's addresses and, once {@code reach} proves a path, the inviter's virtual address,
     * pairing at once: completes with the first success; fails at once if the inviter refused,
     * else with the code's addresses' failure once both failed. Null if there is nothing to try.
     */
    private static CompletableFuture<PairingOutcome> attempts(PeerNetwork network, Invite invite, String deviceName,
            Function<DeviceId, CompletableFuture<Void>> reach) {
        CompletableFuture<PairingOutcome> direct = invite.addresses().isEmpty() ? null : network.pair(invite, deviceName);
        if (reach == null) {
            return direct;
        }
        Invite punched = new Invite(invite.inviter(), invite.folderId(), invite.folderLabel(),
                List.of(VirtualAddress.of(invite.inviter())), invite.rendezvousUrls(), invite.secret(), invite.expiry());
        CompletableFuture<PairingOutcome> viaPath = reach.apply(invite.inviter())
                .thenCompose(v -> network.pair(punched, deviceName));
        if (direct == null) {
            return viaPath.exceptionallyCompose(e -> CompletableFuture.failedFuture(new PairingFailedException(
                    Reason.UNREACHABLE, "no punched or relayed path to the inviting device: " + rootMessage(e), e)));
        }
        CompletableFuture<PairingOutcome> first = new CompletableFuture<>();
        direct.whenComplete((outcome, e) -> {
            if (e == null) {
                first.complete(outcome);
            } else if ((cause(e) instanceof PairingFailedException p && ANSWERED.contains(p.reason()))
                    || viaPath.isCompletedExceptionally()) {
                first.completeExceptionally(cause(e));
            }
        });
        viaPath.whenComplete((outcome, e) -> {
            if (e == null) {
                first.complete(outcome);
            } else {
                log.debug("no pairing over a punched or relayed path: {}", rootMessage(e));
                direct.whenComplete((o, d) -> {
                    if (d != null) {
                        first.completeExceptionally(cause(d));
                    }
                });
            }
        });
        return first;
    }

    private static Throwable cause(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static String rootMessage(Throwable e) {
        return String.valueOf(cause(e).getMessage());
    }

    /** The inviter's verified addresses at every server of the code; what went wrong goes to {@code problems}. */
    static List<InetSocketAddress> lookUp(DeviceIdentity identity, Invite invite, Clock clock, List<String> problems)
            throws InterruptedException {
        LinkedHashSet<InetSocketAddress> all = new LinkedHashSet<>();
        try (TcpTlsTransport transport = TcpTlsTransport.create(identity, device -> false)) {
            for (String text : invite.rendezvousUrls()) {
                RendezvousUrl url;
                try {
                    url = RendezvousUrl.parse(text);
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                    continue;
                }
                CompletableFuture<Optional<LookupResult>> answer = RendezvousClient.connect(transport, identity, url,
                        clock, new RendezvousListener() { }).thenCompose(client -> client.lookup(invite.inviter())
                                .whenComplete((r, e) -> client.close()));
                try {
                    Optional<LookupResult> result = answer.get(LOOKUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    result.ifPresentOrElse(r -> all.addAll(RendezvousSessions.candidates(r)),
                            () -> problems.add(url + " does not know it"));
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c
                            && c.getCause() != null ? c.getCause() : e.getCause();
                    problems.add(cause.getMessage());
                } catch (TimeoutException e) {
                    answer.cancel(true);
                    problems.add(url + " did not answer within " + LOOKUP_TIMEOUT.toSeconds() + " s");
                }
            }
        }
        return new ArrayList<>(all);
    }

    private static PairingOutcome await(CompletableFuture<PairingOutcome> pairing)
            throws PairingFailedException, InterruptedException {
        try {
            return pairing.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PairingFailedException failed) {
                throw failed;
            }
            throw new IllegalStateException("pairing failed unexpectedly", e.getCause());
        }
    }

    /**
     * The address pairing succeeded at, as a configured address: over a punched path, the real
     * address of that path when it is direct or on the LAN (devices listen for TCP on their UDP
     * port's number); none over a relay.
     */
    public static List<InetSocketAddress> dialable(InetSocketAddress address, Optional<PathSwitch.Active> path) {
        if (!VirtualAddress.isVirtual(address)) {
            return List.of(address);
        }
        return path.filter(p -> p.kind() != PathKind.RELAYED).map(p -> List.of(p.address())).orElse(List.of());
    }

    /** "host:port", or what a virtual address stands for. */
    public static String describe(InetSocketAddress address) {
        return VirtualAddress.isVirtual(address) ? "a punched or relayed path (through the rendezvous server)"
                : address.getHostString() + ":" + address.getPort();
    }
}
