package org.meshfold.pairing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.meshfold.clock.ManualClock;
import org.meshfold.identity.DeviceId;
import org.meshfold.pairing.InviteRejectedException.Reason;

class PendingInvitesTest {
    private static final DeviceId SELF = Invites.device(1);
    private static final DeviceId JOINER = Invites.device(2);
    private final ManualClock clock = new ManualClock(Invites.EXPIRY.toEpochMilli());
    private final SecureRandom random = new SecureRandom();
    private final PendingInvites invites = new PendingInvites(SELF, clock, random);
    private final byte[] inviterNonce = PairingProof.newNonce(random);
    private final byte[] joinerNonce = PairingProof.newNonce(random);

    @Test
    void create_invite_forThisDeviceWithRandomSecretAndExpiry() {
        Invite a = create(Duration.ofMinutes(10));
        Invite b = create(Duration.ofMinutes(10));

        assertThat(a.inviter()).isEqualTo(SELF);
        assertThat(a.folderId()).isEqualTo("photos");
        assertThat(a.folderLabel()).isEqualTo("Photos");
        assertThat(a.expiry()).isEqualTo(Invites.EXPIRY.plus(Duration.ofMinutes(10)));
        assertThat(a.secret()).isNotEqualTo(b.secret()).isNotEqualTo(new byte[Invite.SECRET_BYTES]);
    }

    @Test
    void redeem_rightProofBeforeExpiry_returnsTheInvite() throws Exception {
        Invite invite = create(Duration.ofMinutes(10));
        clock.counter().addAndGet(Duration.ofMinutes(9).toMillis());

        assertThat(redeem(invite.secret(), JOINER)).isEqualTo(invite);
    }

    @Test
    void redeem_secondTime_alreadyUsed() throws Exception {
        Invite invite = create(Duration.ofMinutes(10));
        redeem(invite.secret(), JOINER);

        assertRejected(invite.secret(), JOINER, Reason.ALREADY_USED, "this invite code was already used by this device; "
                + "ask the other device for a new code with 'meshfold invite'");
        assertRejected(invite.secret(), Invites.device(3), Reason.ALREADY_USED,
                "this invite code was already used by another device");
    }

    @Test
    void redeem_atExpiry_expired() {
        Invite invite = create(Duration.ofMinutes(10));
        clock.counter().addAndGet(Duration.ofMinutes(10).toMillis());

        assertRejected(invite.secret(), JOINER, Reason.EXPIRED, "this invite code expired at 2026-03-14T09:50:00Z; ask");
    }

    @Test
    void redeem_wrongSecretOrFolder_unknown() {
        Invite invite = create(Duration.ofMinutes(10));

        assertRejected(Invites.secret(9), JOINER, Reason.UNKNOWN,
                "the inviting device has no open invite to folder 'photos' for this code");
        var e = catchThrowableOfType(InviteRejectedException.class, () -> invites.redeem("docs", JOINER,
                inviterNonce, joinerNonce, proof(invite.secret(), JOINER)));
        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN);
    }

    @Test
    void redeem_proofForAnotherDevice_unknownAndInviteStaysOpen() throws Exception {
        Invite invite = create(Duration.ofMinutes(10));
        byte[] proofOfOther = PairingProof.compute(invite.secret(), SELF, Invites.device(3), inviterNonce, joinerNonce);

        var e = catchThrowableOfType(InviteRejectedException.class,
                () -> invites.redeem("photos", JOINER, inviterNonce, joinerNonce, proofOfOther));

        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN);
        assertThat(redeem(invite.secret(), JOINER)).isEqualTo(invite);
    }

    @Test
    void redeem_longAfterExpiry_forgottenAsUnknown() {
        Invite invite = create(Duration.ofMinutes(10));
        clock.counter().addAndGet(Duration.ofMinutes(10).plus(PendingInvites.RETENTION).plusSeconds(1).toMillis());

        assertRejected(invite.secret(), JOINER, Reason.UNKNOWN, "no open invite");
    }

    @Test
    void hasOpen_onlyWhileAnInviteIsUnusedAndUnexpired() throws Exception {
        assertThat(invites.hasOpen()).isFalse();
        Invite used = create(Duration.ofMinutes(1));
        create(Duration.ofMinutes(2));
        assertThat(invites.hasOpen()).isTrue();

        redeem(used.secret(), JOINER);
        assertThat(invites.hasOpen()).isTrue();
        clock.counter().addAndGet(Duration.ofMinutes(2).toMillis());
        assertThat(invites.hasOpen()).isFalse();
    }

    @Test
    void create_beyondMaxOpen_refusedUntilOneCloses() throws Exception {
        List<Invite> open = new ArrayList<>();
        for (int i = 0; i < PendingInvites.MAX_OPEN; i++) {
            open.add(create(Duration.ofMinutes(10)));
        }

        assertThatThrownBy(() -> create(Duration.ofMinutes(10))).isInstanceOf(IllegalStateException.class)
                .hasMessage("16 invites are already open (max 16); use them or let them expire first");
        redeem(open.getFirst().secret(), JOINER);
        assertThat(create(Duration.ofMinutes(10)).folderId()).isEqualTo("photos");
    }

    @Test
    void create_ttlOutOfRange_refused() {
        assertThatThrownBy(() -> create(Duration.ZERO)).hasMessageContaining("must be more than 0");
        assertThatThrownBy(() -> create(Duration.ofHours(25))).hasMessageContaining("at most PT24H");
        assertThat(create(PendingInvites.MAX_TTL).expiry()).isEqualTo(Invites.EXPIRY.plus(PendingInvites.MAX_TTL));
    }

    @Test
    void redeem_manyJoinersAtOnce_exactlyOneSucceeds() throws Exception {
        Invite invite = create(Duration.ofMinutes(10));
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                DeviceId joiner = Invites.device(10 + i);
                Callable<Boolean> attempt = () -> {
                    start.await();
                    try {
                        invites.redeem("photos", joiner, inviterNonce, joinerNonce, proof(invite.secret(), joiner));
                        return true;
                    } catch (InviteRejectedException e) {
                        assertThat(e.reason()).isEqualTo(Reason.ALREADY_USED);
                        return false;
                    }
                };
                results.add(pool.submit(attempt));
            }
            start.countDown();
            int succeeded = 0;
            for (Future<Boolean> f : results) {
                succeeded += f.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(succeeded).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private Invite create(Duration ttl) {
        return invites.create("photos", "Photos", List.of(Invites.address("192.168.1.2", 22000)), List.of(), ttl);
    }

    private byte[] proof(byte[] secret, DeviceId joiner) {
        return PairingProof.compute(secret, SELF, joiner, inviterNonce, joinerNonce);
    }

    private Invite redeem(byte[] secret, DeviceId joiner) throws InviteRejectedException {
        return invites.redeem("photos", joiner, inviterNonce, joinerNonce, proof(secret, joiner));
    }

    private void assertRejected(byte[] secret, DeviceId joiner, Reason reason, String message) {
        var e = catchThrowableOfType(InviteRejectedException.class, () -> redeem(secret, joiner));
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.getMessage()).contains(message);
    }
}
