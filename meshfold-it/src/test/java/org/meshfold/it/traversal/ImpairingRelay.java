package org.meshfold.it.traversal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lossy, slow wire for the lab, in its own JVM on a lab host: relays the UDP datagrams of two
 * tunnel endpoints ({@link ImpairedOverlay}) between them, dropping each with a probability and
 * delaying every other one by a fixed time, each way independently, as {@code netem loss P delay D}
 * would (this kernel has no {@code sch_netem}). Datagrams keep their order. Prints {@value #READY}
 * once listening, and its counts when it ends.
 *
 * <p>{@code ImpairingRelay LISTEN_IP PORT A_IP B_IP LOSS DELAY_MS SEED}: datagrams from
 * {@code A_IP} go to {@code B_IP:PORT} and those from {@code B_IP} to {@code A_IP:PORT}; others are
 * ignored.
 */
public final class ImpairingRelay {
    static final String READY = "impairing relay ready";
    private static final int BUFFER_BYTES = 8 << 20;

    private final DatagramChannel channel;
    private final Direction toB;
    private final Direction toA;
    private final InetAddress a;
    private final InetAddress b;
    private final ScheduledExecutorService delayer = Executors.newSingleThreadScheduledExecutor();

    /** One direction's destination and counts. */
    private record Direction(String name, InetSocketAddress to, AtomicLong received, AtomicLong dropped) {
        Direction(String name, InetSocketAddress to) {
            this(name, to, new AtomicLong(), new AtomicLong());
        }

        @Override
        public String toString() {
            long r = received.get();
            return String.format("%s: %d datagrams, %d dropped (%.1f %%)", name, r, dropped.get(),
                    r == 0 ? 0.0 : 100.0 * dropped.get() / r);
        }
    }

    private ImpairingRelay(DatagramChannel channel, InetAddress a, InetAddress b, int port) {
        this.channel = channel;
        this.a = a;
        this.b = b;
        this.toB = new Direction("a->b", new InetSocketAddress(b, port));
        this.toA = new Direction("b->a", new InetSocketAddress(a, port));
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 7) {
            System.err.println("usage: ImpairingRelay LISTEN_IP PORT A_IP B_IP LOSS DELAY_MS SEED");
            System.exit(2);
        }
        int port = Integer.parseInt(args[1]);
        DatagramChannel channel = DatagramChannel.open()
                .setOption(StandardSocketOptions.SO_RCVBUF, BUFFER_BYTES)
                .setOption(StandardSocketOptions.SO_SNDBUF, BUFFER_BYTES)
                .bind(new InetSocketAddress(InetAddress.getByName(args[0]), port));
        ImpairingRelay relay = new ImpairingRelay(channel, InetAddress.getByName(args[2]),
                InetAddress.getByName(args[3]), port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println(relay.counts())));
        System.out.println(READY);
        relay.run(Double.parseDouble(args[4]), Long.parseLong(args[5]), new SplittableRandom(Long.parseLong(args[6])));
    }

    String counts() {
        return toB + "; " + toA;
    }

    private void run(double loss, long delayMillis, SplittableRandom random) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(65_536);
        while (true) {
            buffer.clear();
            InetSocketAddress from;
            try {
                from = (InetSocketAddress) channel.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            }
            Direction d = from.getAddress().equals(a) ? toB : from.getAddress().equals(b) ? toA : null;
            if (d == null) {
                continue;
            }
            d.received.incrementAndGet();
            if (random.nextDouble() < loss) {
                d.dropped.incrementAndGet();
                continue;
            }
            buffer.flip();
            ByteBuffer datagram = ByteBuffer.allocate(buffer.remaining()).put(buffer).flip();
            // One thread, equal delays: the executor runs them in the order they were scheduled.
            delayer.schedule(() -> send(datagram, d.to()), delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void send(ByteBuffer datagram, InetSocketAddress to) {
        try {
            channel.send(datagram, to);
        } catch (IOException e) {
            System.out.println("cannot send to " + to + ": " + e);
        }
    }
}
