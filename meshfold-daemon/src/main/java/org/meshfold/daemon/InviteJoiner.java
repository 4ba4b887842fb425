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
import org.meshfold.discovery.rendezvous.AddressRecord;
import org.meshfold.discovery.rendezvous.LookupResult;
import org.meshfold.identity.DeviceId;
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
     * As above, for a device that can punch through NATs: {@code reach} (null: cannot) starts a
     * punch to the inviter through this device's rendezvous sessions, and the inviter's {@link
     * VirtualAddress} is dialed along with the code's addresses, so pairing works across NATs
     * and through a TURN relay.
     */
    public static PairingOutcome pair(PeerNetwork network, DeviceIdentity identity, Invite invite, String deviceName,
            Clock clock, Function<DeviceId, CompletableFuture<Void>> reach)
            throws PairingFailedException, InterruptedException {
        if (invite.rendezvousUrls().isEmpty()) {
            return await(network.pair(invite, deviceName));
        }
        PairingFailedException direct = null;
        Invite first = invite;
        if (reach != null) {
            reach.apply(invite.inviter()).whenComplete((v, e) -> {
                if (e != null) {
                    log.debug("no punched or relayed path to the inviting device: {}", e.toString());
                }
            });
            List<InetSocketAddress> withVirtual = new ArrayList<>(invite.addresses().stream()
                    .limit(AddressRecord.MAX_ADDRESSES - 1).toList());
            withVirtual.add(VirtualAddress.of(invite.inviter()));
            first = new Invite(invite.inviter(), invite.folderId(), invite.folderLabel(), withVirtual,
                    invite.rendezvousUrls(), invite.secret(), invite.expiry());
        }
        if (!first.addresses().isEmpty()) {
            try {
                return await(network.pair(first, deviceName));
            } catch (PairingFailedException e) {
                if (!NOT_REACHED.contains(e.reason())) {
                    throw e;
                }
                direct = e;
                log.info("{}; looking the inviting device up at the code's rendezvous servers", e.getMessage());
            }
        }
        List<String> problems = new ArrayList<>();
        List<InetSocketAddress> found = lookUp(identity, invite, clock, problems);
        found.removeAll(first.addresses());
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

    /** The address pairing succeeded at, as a configured address: none if it was a punched or relayed path. */
    public static List<InetSocketAddress> dialable(InetSocketAddress address) {
        return VirtualAddress.isVirtual(address) ? List.of() : List.of(address);
    }

    /** "host:port", or what a virtual address stands for. */
    public static String describe(InetSocketAddress address) {
        return VirtualAddress.isVirtual(address) ? "a punched or relayed path (through the rendezvous server)"
                : address.getHostString() + ":" + address.getPort();
    }
}
