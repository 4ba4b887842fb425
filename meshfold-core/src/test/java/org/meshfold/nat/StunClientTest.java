package org.meshfold.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** StunClient against a fake port that records sends and answers for chosen servers. */
class StunClientTest {
    private static final InetSocketAddress SILENT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 3478);
    private static final InetSocketAddress ANSWERING = new InetSocketAddress(InetAddress.getLoopbackAddress(), 3479);
    private static final InetSocketAddress MAPPED = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<Long> sendTimes = new CopyOnWriteArrayList<>();
    private final List<byte[]> silentRequests = new CopyOnWriteArrayList<>();
    private StunClient client;

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private StunClient client(StunRetransmission retransmission) {
        DatagramPort port = (datagram, recipient) -> {
            byte[] raw = new byte[datagram.remaining()];
            datagram.get(raw);
            if (recipient.equals(SILENT)) {
                sendTimes.add(System.nanoTime());
                silentRequests.add(raw);
                return;
            }
            try {
                StunMessage request = StunCodec.decode(raw);
                StunMessage response = new StunMessage(StunClass.SUCCESS, StunMethod.BINDING, request.transactionId(),
                        List.of(new AddressAttribute(StunAttributeType.XOR_MAPPED_ADDRESS, MAPPED)));
                scheduler.execute(() -> client.onDatagram(ByteBuffer.wrap(StunCodec.encode(response)), recipient));
            } catch (StunFormatException e) {
                throw new AssertionError(e);
            }
        };
        client = new StunClient(port, scheduler, retransmission, new SecureRandom());
        return client;
    }

    @Test
    void bind_noAnswer_retransmitsWithDoublingIntervalsThenTimesOut() {
        StunClient c = client(new StunRetransmission(Duration.ofMillis(20), 4, 3));
        long start = System.nanoTime();

        assertThatThrownBy(() -> c.bind(SILENT).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StunTimeoutException.class)
                .hasMessageContaining("after 4 sends");
        long end = System.nanoTime();

        assertThat(sendTimes).hasSize(4);
        long[] minimumGapsMillis = {20, 40, 80};
        for (int i = 0; i < 3; i++) {
            assertThat(TimeUnit.NANOSECONDS.toMillis(sendTimes.get(i + 1) - sendTimes.get(i)))
                    .as("gap after send %d", i + 1).isGreaterThanOrEqualTo(minimumGapsMillis[i]);
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(end - sendTimes.get(3))).isGreaterThanOrEqualTo(60);
        assertThat(TimeUnit.NANOSECONDS.toMillis(end - start)).isGreaterThanOrEqualTo(20 + 40 + 80 + 60);
    }

    @Test
    void waitAfter_rfcDefaults_total39point5Seconds() {
        Duration total = Duration.ZERO;
        for (int sent = 1; sent <= 7; sent++) {
            total = total.plus(StunRetransmission.DEFAULT.waitAfter(sent));
        }
        assertThat(total).isEqualTo(Duration.ofMillis(39_500));
    }

    @Test
    void reflexiveAddress_oneServerSilent_answerOfTheOtherWins() throws Exception {
        StunClient c = client(new StunRetransmission(Duration.ofMillis(20), 3, 2));

        assertThat(c.reflexiveAddress(List.of(SILENT, ANSWERING)).get(5, TimeUnit.SECONDS)).isEqualTo(MAPPED);
    }

    @Test
    void reflexiveAddress_allSilent_failsWithEachCause() {
        StunClient c = client(new StunRetransmission(Duration.ofMillis(5), 2, 1));

        assertThatThrownBy(() -> c.reflexiveAddress(List.of(SILENT, SILENT)).get(5, TimeUnit.SECONDS))
                .cause().hasMessageContaining("no STUN server of")
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(2)
                        .allSatisfy(s -> assertThat(s).isInstanceOf(StunTimeoutException.class)));
    }

    @Test
    void onDatagram_responseFromAnotherAddress_ignored() throws Exception {
        StunClient c = client(new StunRetransmission(Duration.ofMillis(50), 3, 2));
        var pending = c.bind(SILENT);
        Await.until(() -> !sendTimes.isEmpty(), Duration.ofSeconds(5), "first send");
        // the right transaction id from the wrong address must not complete the request
        TransactionId id = StunCodec.decode(silentRequests.getFirst()).transactionId();
        StunMessage forged = new StunMessage(StunClass.SUCCESS, StunMethod.BINDING, id,
                List.of(new AddressAttribute(StunAttributeType.XOR_MAPPED_ADDRESS, MAPPED)));

        assertThat(c.onDatagram(ByteBuffer.wrap(StunCodec.encode(forged)), ANSWERING)).isFalse();
        assertThat(c.onDatagram(ByteBuffer.wrap(new byte[] {(byte) 0xC0, 1, 2, 3}), SILENT)).isFalse();
        assertThat(pending).isNotDone();
    }
}
