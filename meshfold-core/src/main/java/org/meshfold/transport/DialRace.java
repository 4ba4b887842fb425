package org.meshfold.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.meshfold.identity.DeviceId;

/**
 * One {@link RacingTransport#dial}: an attempt per transport, started in order with a head start
 * each unless the one before reached the peer in time (or at once when the ones before failed); the first to authenticate gets the caller's
 * {@code setup} and sees its {@link AuthenticatedPeer} event delivered, the rest are closed.
 * Attempts run on different event loops, so the race's state is guarded by its lock.
 */
final class DialRace {
    private final List<Transport> transports;
    private final Duration headStart;
    private final DeviceId expected;
    private final InetSocketAddress address;
    private final Consumer<Channel> setup;
    private final List<ChannelFuture> attempts = new ArrayList<>();
    private final Set<Integer> lost = new HashSet<>();
    private ChannelPromise promise;
    private ScheduledFuture<?> next;
    private Throwable firstFailure;
    private boolean decided;
    private int winner = -1;

    DialRace(List<Transport> transports, Duration headStart, DeviceId expected, InetSocketAddress address,
            Consumer<Channel> setup) {
        this.transports = transports;
        this.headStart = headStart;
        this.expected = expected;
        this.address = address;
        this.setup = setup;
    }

    ChannelPromise start() {
        ChannelFuture first = transports.getFirst().dial(expected, address, ch -> enter(ch, 0));
        boolean won;
        boolean failedAlready;
        synchronized (this) {
            attempts.add(first);
            promise = new DefaultChannelPromise(first.channel());
            // The first attempt may have ended on its event loop before it was recorded here.
            won = decided;
            failedAlready = !lost.isEmpty();
        }
        if (won) {
            promise.trySuccess();
        } else if (failedAlready) {
            settleAfterLoss();
        } else {
            watch(first, 0);
            scheduleNext();
        }
        return promise;
    }

    private void enter(Channel ch, int index) {
        ch.pipeline().addLast("race", new Entrant(index));
    }

    private void watch(ChannelFuture attempt, int index) {
        attempt.addListener(f -> {
            if (f.isSuccess()) {
                reached();
            } else {
                lost(index, f.cause());
            }
        });
    }

    /**
     * An attempt reached the peer (TCP connected, QUIC stream open): the next transport now
     * starts only if it fails. Racing two connections of one dial through to authentication
     * would let the peer keep one as the device's connection while this side keeps the other.
     */
    private synchronized void reached() {
        if (next != null) {
            next.cancel(false);
        }
    }

    private synchronized void scheduleNext() {
        if (attempts.size() < transports.size() && !decided) {
            next = promise.channel().eventLoop().schedule(this::startNext, headStart.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void startNext() {
        int index;
        synchronized (this) {
            if (decided || attempts.size() >= transports.size()) {
                return;
            }
            if (next != null) {
                next.cancel(false);
            }
            index = attempts.size();
            attempts.add(null);
        }
        ChannelFuture attempt;
        try {
            attempt = transports.get(index).dial(expected, address, ch -> enter(ch, index));
        } catch (RuntimeException e) {
            lost(index, e);
            return;
        }
        boolean close;
        synchronized (this) {
            attempts.set(index, attempt);
            close = decided && winner != index;
        }
        if (close) {
            attempt.channel().close();
            return;
        }
        watch(attempt, index);
        scheduleNext();
    }

    /** Attempt {@code index} failed before authenticating (reported by its future, its entrant, or both). */
    private void lost(int index, Throwable cause) {
        synchronized (this) {
            if (decided || !lost.add(index)) {
                return;
            }
            if (firstFailure == null) {
                firstFailure = cause;
            }
            if (promise == null) {
                return;
            }
        }
        settleAfterLoss();
    }

    /** Fails the race when every transport failed, or starts the next one at once. */
    private void settleAfterLoss() {
        boolean all;
        boolean more;
        synchronized (this) {
            if (decided) {
                return;
            }
            all = lost.size() >= transports.size();
            more = attempts.size() < transports.size();
            if (all) {
                decided = true;
            }
        }
        if (all) {
            promise.tryFailure(firstFailure);
        } else if (more) {
            startNext();
        }
    }

    /** The first authenticated attempt wins; true for it only. */
    private boolean claim(int index) {
        List<Channel> losers = new ArrayList<>();
        ChannelPromise result;
        synchronized (this) {
            if (decided) {
                return false;
            }
            decided = true;
            winner = index;
            if (next != null) {
                next.cancel(false);
            }
            for (int i = 0; i < attempts.size(); i++) {
                if (i != index && attempts.get(i) != null) {
                    losers.add(attempts.get(i).channel());
                }
            }
            result = promise;
        }
        losers.forEach(Channel::close);
        if (result != null) {
            result.trySuccess();
        }
        return true;
    }

    /** Holds an attempt's channel back from the protocol until it wins. */
    private final class Entrant extends ChannelInboundHandlerAdapter {
        private final int index;

        Entrant(int index) {
            this.index = index;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.channel().closeFuture().addListener(f -> lost(index, new ClosedChannelException()));
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (!(evt instanceof AuthenticatedPeer)) {
                ctx.fireUserEventTriggered(evt);
                return;
            }
            if (!claim(index)) {
                ctx.close();
                return;
            }
            setup.accept(ctx.channel());
            ctx.pipeline().remove(this);
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            // Transports deliver no data before authentication; nothing may pass an undecided attempt.
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            lost(index, cause);
            ctx.close();
        }
    }
}
