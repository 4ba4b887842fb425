package org.meshfold.pairing;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.meshfold.identity.DeviceId;
import org.meshfold.pairing.InviteRejectedException.Reason;

/**
 * The inviter's open invites. Each secret is accepted once, before its expiry.
 *
 * <p>Used and expired invites are remembered for {@link #RETENTION} after their expiry so that a
 * second use, or a late one, gets its specific error instead of "unknown". Invites live in
 * memory only: a restart of the daemon cancels them, and the user makes a new one.
 *
 * <p>Thread-safe: all methods synchronize on this object; the pairing conversations of several
 * connections may call {@link #redeem} at once.
 */
public final class PendingInvites {
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
    public static final Duration MAX_TTL = Duration.ofHours(24);
    /** Open (unused, unexpired) invites at most; each is a door into this device. */
    public static final int MAX_OPEN = 16;
    static final Duration RETENTION = Duration.ofHours(1);

    private final DeviceId self;
    private final Clock clock;
    private final SecureRandom random;
    private final List<Entry> entries = new ArrayList<>();

    public PendingInvites(DeviceId self, Clock clock, SecureRandom random) {
        this.self = Objects.requireNonNull(self, "self");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Opens an invite to {@code folderId}, valid for {@code ttl}.
     *
     * @throws IllegalArgumentException if {@code ttl} is not in (0, {@link #MAX_TTL}] or a field
     *     is out of {@link Invite}'s bounds
     * @throws IllegalStateException if {@link #MAX_OPEN} invites are already open
     */
    public synchronized Invite create(String folderId, String folderLabel, List<InetSocketAddress> addresses,
                                      List<String> rendezvousUrls, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("invite lifetime " + ttl + " must be more than 0 and at most " + MAX_TTL);
        }
        Instant now = clock.instant();
        prune(now);
        long open = entries.stream().filter(e -> e.isOpen(now)).count();
        if (open >= MAX_OPEN) {
            throw new IllegalStateException(open + " invites are already open (max " + MAX_OPEN
                    + "); use them or let them expire first");
        }
        byte[] secret = new byte[Invite.SECRET_BYTES];
        random.nextBytes(secret);
        Invite invite = new Invite(self, folderId, folderLabel, addresses, rendezvousUrls, secret, now.plus(ttl));
        entries.add(new Entry(invite));
        return invite;
    }

    /** Whether any invite is open: only then may a device that is not paired be admitted for pairing. */
    public synchronized boolean hasOpen() {
        Instant now = clock.instant();
        return entries.stream().anyMatch(e -> e.isOpen(now));
    }

    /**
     * Accepts the joiner's proof for an open invite to {@code folderId} and closes that invite.
     *
     * @return the redeemed invite (its folder and label tell the joiner what it joined)
     * @throws InviteRejectedException {@link Reason#ALREADY_USED} or {@link Reason#EXPIRED} if
     *     the proof matches such an invite, {@link Reason#UNKNOWN} if it matches none
     */
    public synchronized Invite redeem(String folderId, DeviceId joiner, byte[] inviterNonce, byte[] joinerNonce,
                                      byte[] proof) throws InviteRejectedException {
        Instant now = clock.instant();
        prune(now);
        for (Entry e : entries) {
            Invite invite = e.invite;
            if (!invite.folderId().equals(folderId)
                    || !PairingProof.verify(proof, invite.secret(), self, joiner, inviterNonce, joinerNonce)) {
                continue;
            }
            if (e.usedBy != null) {
                throw new InviteRejectedException(Reason.ALREADY_USED, "this invite code was already used"
                        + (e.usedBy.equals(joiner) ? " by this device" : " by another device") + "; "
                        + InvalidInviteException.ASK_AGAIN);
            }
            if (invite.isExpired(now)) {
                throw new InviteRejectedException(Reason.EXPIRED, "this invite code expired at " + invite.expiry()
                        + "; " + InvalidInviteException.ASK_AGAIN);
            }
            e.usedBy = joiner;
            return invite;
        }
        throw new InviteRejectedException(Reason.UNKNOWN, "the inviting device has no open invite to folder '"
                + folderId + "' for this code (cancelled, or the device restarted); " + InvalidInviteException.ASK_AGAIN);
    }

    private void prune(Instant now) {
        entries.removeIf(e -> now.isAfter(e.invite.expiry().plus(RETENTION)));
    }

    /** One invite and who used it; guarded by the enclosing instance. */
    private static final class Entry {
        final Invite invite;
        DeviceId usedBy;

        Entry(Invite invite) {
            this.invite = invite;
        }

        boolean isOpen(Instant now) {
            return usedBy == null && !invite.isExpired(now);
        }
    }
}
