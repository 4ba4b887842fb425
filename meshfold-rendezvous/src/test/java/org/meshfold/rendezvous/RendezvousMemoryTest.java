package org.meshfold.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.meshfold.discovery.rendezvous.WireAddresses;
import org.meshfold.discovery.rendezvous.pb.RecordBody;
import org.meshfold.discovery.rendezvous.pb.SignedRecord;
import org.meshfold.identity.DeviceId;

/** Measures (and prints, for the closing note) the heap the record store takes per 1,000 devices. */
class RendezvousMemoryTest {
    private static final int DEVICES = 1000;

    @Test
    void registry_thousandRecords_memoryIsMeasured() throws Exception {
        Instant now = Instant.parse("2025-06-01T12:00:00Z");
        Random random = new Random(1);
        List<byte[]> wire = new ArrayList<>(DEVICES);
        for (int i = 0; i < DEVICES; i++) {
            // Same shape and sizes as a signed record: 32-byte id and key, 64-byte signature, three
            // addresses (LAN, reflexive, IPv6). Signing 1,000 real identities would only slow the test.
            byte[] id = new byte[32];
            random.nextBytes(id);
            RecordBody body = RecordBody.newBuilder().setDeviceId(ByteString.copyFrom(id))
                    .addAllAddresses(WireAddresses.toWire(List.of(new InetSocketAddress("192.168.1." + (i % 250 + 1), 22000),
                            new InetSocketAddress("203.0.113." + (i % 250 + 1), 40000 + i),
                            new InetSocketAddress("2001:db8::" + Integer.toHexString(i + 1), 22000))))
                    .setExpiresMillis(now.plus(Duration.ofHours(1)).toEpochMilli()).build();
            wire.add(SignedRecord.newBuilder().setBody(body.toByteString()).setPublicKey(ByteString.copyFrom(random(random, 32)))
                    .setSignature(ByteString.copyFrom(random(random, 64))).build().toByteArray());
        }
        Registry registry = new Registry(DEVICES, DEVICES);

        long before = usedHeap();
        for (byte[] bytes : wire) {
            // As the server holds them: parsed from the wire and stored under the device id.
            SignedRecord record = SignedRecord.parseFrom(bytes);
            DeviceId device = DeviceId.of(RecordBody.parseFrom(record.getBody()).getDeviceId().toByteArray());
            assertThat(registry.put(device, new Registry.Stored(record, now.plus(Duration.ofHours(1))), now)).isTrue();
        }
        long after = usedHeap();

        assertThat(registry.recordCount(now)).isEqualTo(DEVICES);
        System.out.printf("rendezvous memory per %,d registered devices: %,d KiB of records (%d bytes each)%n",
                DEVICES, (after - before) / 1024, (after - before) / DEVICES);
    }

    private static byte[] random(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
