package org.meshfold.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.FileNotFoundException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.meshfold.identity.DeviceId;
import org.meshfold.index.FileRecord;
import org.meshfold.replication.BlockRequest;
import org.meshfold.replication.ClusterConfig;
import org.meshfold.replication.Peer;

class InboundRequestsTest {
    private final List<CompletableFuture<byte[]>> served = new CopyOnWriteArrayList<>();
    private final RecordingListener listener = new RecordingListener();

    InboundRequestsTest() {
        listener.blocks = (peer, request) -> {
            CompletableFuture<byte[]> f = new CompletableFuture<>();
            served.add(f);
            return f;
        };
    }

    @Test
    void accept_manyRequests_atMost64InProgress() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        InboundRequests inbound = new InboundRequests(ch, new FakePeer(), listener);

        for (int i = 0; i < 100; i++) {
            inbound.accept(request(i));
        }

        assertThat(served).hasSize(InboundRequests.MAX_IN_PROGRESS);
        served.getFirst().complete(new byte[] {1});
        ch.runPendingTasks();
        assertThat(served).hasSize(InboundRequests.MAX_IN_PROGRESS + 1);
        assertThat((Object) ch.readOutbound()).isEqualTo(new Message.Response(0, 0, new byte[] {1}));
        ch.finishAndReleaseAll();
    }

    @Test
    void accept_channelNotWritable_waitsUntilItDrains() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        ch.write(Unpooled.wrappedBuffer(new byte[64]));
        assertThat(ch.isWritable()).isFalse();
        InboundRequests inbound = new InboundRequests(ch, new FakePeer(), listener);

        inbound.accept(request(1));
        inbound.accept(request(2));

        assertThat(served).isEmpty();
        ch.flush();
        assertThat(ch.isWritable()).isTrue();
        inbound.drain();
        assertThat(served).hasSize(2);
        ch.finishAndReleaseAll();
    }

    @Test
    void accept_tooManyQueued_protocolViolation() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        InboundRequests inbound = new InboundRequests(ch, new FakePeer(), listener);
        for (int i = 0; i < InboundRequests.MAX_IN_PROGRESS + InboundRequests.MAX_QUEUED; i++) {
            inbound.accept(request(i));
        }

        assertThatThrownBy(() -> inbound.accept(request(-1)))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("more than 10000 block requests waiting to be served");
        ch.finishAndReleaseAll();
    }

    @Test
    void finish_listenerFailure_answersWithTheMatchingCode() {
        EmbeddedChannel ch = new EmbeddedChannel();
        InboundRequests inbound = new InboundRequests(ch, new FakePeer(), listener);
        List<Throwable> failures = List.of(new NoSuchFileException("x"), new FileNotFoundException("x"),
                new IllegalArgumentException("x"), new IllegalStateException("x"));
        List<Integer> codes = new ArrayList<>();

        for (int i = 0; i < failures.size(); i++) {
            try {
                inbound.accept(request(i));
            } catch (ProtocolException e) {
                throw new AssertionError(e);
            }
            served.get(i).completeExceptionally(failures.get(i));
            ch.runPendingTasks();
            codes.add(((Message.Response) ch.readOutbound()).code());
        }

        assertThat(codes).containsExactly(Message.Response.NO_SUCH_BLOCK, Message.Response.NO_SUCH_BLOCK,
                Message.Response.INVALID_REQUEST, Message.Response.ERROR);
        ch.finishAndReleaseAll();
    }

    @Test
    void finish_afterClose_sendsNothing() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        InboundRequests inbound = new InboundRequests(ch, new FakePeer(), listener);
        inbound.accept(request(1));

        inbound.close();
        served.getFirst().complete(new byte[1]);
        ch.runPendingTasks();

        assertThat((Object) ch.readOutbound()).isNull();
        ch.finishAndReleaseAll();
    }

    private static Message.Request request(long id) {
        return new Message.Request(id, new BlockRequest("f", "n", 0, 1, SampleRecords.hash(id)));
    }

    /** The peer as the listener sees it; only its id is used here. */
    private static final class FakePeer implements Peer {
        @Override
        public DeviceId deviceId() {
            return DeviceId.of(new byte[32]);
        }

        @Override
        public String describePath() {
            return "test";
        }

        @Override
        public void sendClusterConfig(ClusterConfig config) {
        }

        @Override
        public void sendIndex(String folderId, List<FileRecord> records) {
        }

        @Override
        public CompletableFuture<byte[]> request(BlockRequest request) {
            return new CompletableFuture<>();
        }

        @Override
        public void close(String reason) {
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    }
}
