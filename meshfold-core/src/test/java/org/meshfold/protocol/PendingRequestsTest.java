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
}
