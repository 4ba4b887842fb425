package org.meshfold.protocol;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.pairing.Invite;
import org.meshfold.pairing.PairingFailedException;
import org.meshfold.pairing.PairingFailedException.Reason;
import org.meshfold.pairing.PairingOutcome;
import org.meshfold.transport.AuthenticatedPeer;
import org.meshfold.transport.Transport;

/**
 * The joiner's attempt to pair with an invite: dials all of the invite's addresses at once, with
 * TLS pinned to the inviter, and runs the conversation ({@link JoinerConversation}) on the first
 * connection that authenticates; the others are closed. Fails with the most telling of the
 * addresses' failures when none gets through.
 */
final class PairingDial {
    /** Which failure to report when every address failed: the one that says the most. */
    private static final List<Reason> PRIORITY = List.of(Reason.REFUSED, Reason.ALREADY_PAIRED, Reason.NOT_ACCEPTING, Reason.WRONG_DEVICE,
            Reason.BROKEN, Reason.TIMEOUT, Reason.UNREACHABLE);

    final CompletableFuture<PairingOutcome> result = new CompletableFuture<>();
    private final Transport transport;
    private final DeviceIdentity identity;
    private final Invite invite;
    private final String deviceName;
    private final SecureRandom random;
    private final Timeouts timeouts;
    private final List<InetSocketAddress> targets;
    private final List<Channel> channels = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();
    private JoinerConversation winner;

    /** One address's failure. */
    record Failure(InetSocketAddress address, PairingFailedException error) {
    }

    PairingDial(Transport transport, DeviceIdentity identity, Invite invite, String deviceName, SecureRandom random,
            Timeouts timeouts) {
        this.transport = transport;
        this.identity = identity;
        this.invite = invite;
        this.deviceName = deviceName;
        this.random = random;
        this.timeouts = timeouts;
        this.targets = invite.addresses().stream().distinct().toList();
    }

    void start(Consumer<Channel> setUpCodec) {
        if (targets.isEmpty()) {
            result.completeExceptionally(new PairingFailedException(Reason.UNREACHABLE, "the invite code has no "
                    + "address of the inviting device, and this version cannot use rendezvous servers; "
                    + "ask for a code made on the same network", null));
            return;
        }
        result.whenComplete((outcome, error) -> closeAll());
        for (InetSocketAddress address : targets) {
            ChannelFuture connecting = transport.dial(invite.inviter(), address, ch -> {
                setUpCodec.accept(ch);
                ch.pipeline().addLast("pairing", new JoinerConversation(this, address, identity.deviceId(), invite,
                        deviceName, random, timeouts.pairing()));
            });
            synchronized (this) {
                channels.add(connecting.channel());
            }
            connecting.addListener(f -> {
                if (!f.isSuccess()) {
                    failed(null, address, JoinerConversation.classify(address, invite.inviter(), f.cause()));
                }
            });
        }
        ScheduledFuture<?> timer = channels.getFirst().eventLoop().schedule(() -> result.completeExceptionally(new PairingFailedException(Reason.TIMEOUT,
                "no answer from the inviting device at " + addresses(targets) + " within "
                        + timeouts.connect().toSeconds() + " s; is `meshfold run` or `meshfold invite` running there?",
                null)), timeouts.connect().toMillis(), TimeUnit.MILLISECONDS);
        result.whenComplete((outcome, error) -> timer.cancel(false));
        if (result.isDone()) {
            closeAll();
        }
    }

    /** Whether {@code conversation} may run the exchange: true for the first to authenticate only. */
    synchronized boolean claim(JoinerConversation conversation) {
        if (winner == null && !result.isDone()) {
            winner = conversation;
            return true;
        }
        return false;
    }

    void succeeded(PairingOutcome outcome) {
        result.complete(outcome);
    }

    /**
     * One address failed. The claimed conversation's failure ends the attempt; the others count
     * only when no connection got through.
     */
    void failed(JoinerConversation conversation, InetSocketAddress address, PairingFailedException error) {
        PairingFailedException verdict;
        synchronized (this) {
            if (winner != null) {
                if (conversation != winner) {
                    return;
                }
                verdict = error;
            } else {
                if (failures.stream().anyMatch(f -> f.address.equals(address))) {
                    return;
                }
                failures.add(new Failure(address, error));
                if (failures.size() < targets.size()) {
                    return;
                }
                verdict = summarize(failures);
            }
        }
        result.completeExceptionally(verdict);
    }

    /** The failure to report when every address failed. */
    static PairingFailedException summarize(List<Failure> failures) {
        Failure first = failures.stream()
                .min(Comparator.comparingInt(f -> PRIORITY.indexOf(f.error.reason()))).orElseThrow();
        if (first.error.reason() != Reason.UNREACHABLE || failures.size() == 1) {
            return first.error;
        }
        return new PairingFailedException(Reason.UNREACHABLE, "could not reach the inviting device at "
                + addresses(failures.stream().map(Failure::address).toList()) + " ("
                + failures.stream().map(f -> rootMessage(f.error)).distinct().collect(Collectors.joining("; "))
                + "): is `meshfold run` or `meshfold invite` running there?", first.error);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    static String addresses(List<InetSocketAddress> list) {
        return list.stream().map(AuthenticatedPeer::hostPort).collect(Collectors.joining(", "));
    }

    private void closeAll() {
        List<Channel> all;
        synchronized (this) {
            all = List.copyOf(channels);
        }
        all.forEach(Channel::close);
    }
}
