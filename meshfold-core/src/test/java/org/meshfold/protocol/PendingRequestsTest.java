package org.meshfold.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.meshfold.identity.DeviceId;
import org.meshfold.replication.BlockRequest;

class PendingRequestsTest {
    private final PendingRequests pending = new PendingRequests(DeviceId.of(new byte[32]));
    private final BlockRequest request = new BlockRequest("f", "n", 0, 3, SampleRecords.hash(1));

    @Test
    void complete_ok_futureGetsTheData() throws Exception {
        PendingRequests.Started started = pending.start(request);

        pending.complete(new Message.Response(started.id(), 0, new byte[] {1, 2, 3}));

        assertThat(started.future().join()).containsExactly(1, 2, 3);
        assertThat(pending.size()).isZero();
    }

    @Test
    void complete_unknownId_protocolViolation() {
        assertThatThrownBy(() -> pending.complete(new Message.Response(77, 0, new byte[0])))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("response to unknown request id 77");
    }

    @Test
    void start_ids_areDistinct() {
        assertThat(pending.start(request).id()).isNotEqualTo(pending.start(request).id());
    }

    @Test
    void closeAll_failsPendingAndLaterRequests() {
        PendingRequests.Started before = pending.start(request);
        IOException cause = new IOException("gone");

        pending.closeAll(cause);
        PendingRequests.Started after = pending.start(request);

        assertThat(before.future().exceptionNow()).isSameAs(cause);
        assertThat(after.future().exceptionNow()).isSameAs(cause);
        assertThat(pending.size()).isZero();
    }

    @Test
    void takeUnshared_oldestFirstEachOnceAndEitherAnswerCompletes() throws Exception {
        PendingRequests.Started first = pending.start(request);
        PendingRequests.Started second = pending.start(request);
        PendingRequests.Started third = pending.start(request);

        assertThat(pending.takeUnshared(2)).extracting(PendingRequests.Pending::future)
                .containsExactly(first.future(), second.future());
        assertThat(pending.takeUnshared(2)).extracting(PendingRequests.Pending::future)
                .containsExactly(third.future());
        assertThat(pending.takeUnshared(2)).isEmpty();

        first.future().complete(new byte[] {9});
        pending.complete(new Message.Response(first.id(), 0, new byte[] {1, 2, 3}));
        assertThat(first.future().join()).containsExactly(9);
        assertThat(pending.size()).isEqualTo(2);
    }
}
