package org.meshfold.transport;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.unix.IntegerUnixChannelOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How fast a TCP connection recovers when the network comes back after an outage.
 *
 * <p>Design note. While packets are lost, TCP doubles its retransmission timeout after every
 * retransmission, up to 120 s on Linux. After a 10 s outage (Wi-Fi lost, a cable pulled) the next
 * retransmission is due up to 6 s after the network returned, and during all that time the
 * connection carries nothing although both devices could talk. With {@code TCP_RTO_MAX_MS}
 * ({@link #RTO_MAX}, Linux 6.15 and later) the backoff stops at 1 s, so a connection resumes
 * within about a second of the network's return; the cost is one small retransmission a second
 * while the network is down. {@code TCP_USER_TIMEOUT} ({@link #USER_TIMEOUT}) keeps the kernel
 * from giving up on the connection while the protocol's own liveness check (about 20 s without a
 * byte from the peer) still considers it alive; that check decides when a connection is dead.
 *
 * <p>Both are native epoll socket options; with NIO, or on a kernel without {@code
 * tcp_rto_max_ms}, sockets keep the kernel's defaults.
 */
final class TcpRecovery {
    static final Duration RTO_MAX = Duration.ofSeconds(1);
    static final Duration USER_TIMEOUT = Duration.ofSeconds(60);
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_USER_TIMEOUT = 18;
    private static final int TCP_RTO_MAX_MS = 44;
    /** Present exactly on kernels that know the socket option. */
    private static final Path RTO_MAX_SYSCTL = Path.of("/proc/sys/net/ipv4/tcp_rto_max_ms");

    private TcpRecovery() {
    }

    /** Whether {@link #apply} changes sockets of a transport that uses {@code loops}. */
    static boolean supported(EventLoops loops) {
        return loops.isNative() && kernelSupports();
    }

    /** Whether this kernel knows {@code TCP_RTO_MAX_MS} (Linux 6.15 and later). */
    static boolean kernelSupports() {
        return Files.exists(RTO_MAX_SYSCTL);
    }

    /** The {@code TCP_RTO_MAX_MS} option, in milliseconds; only for epoll channels. */
    static ChannelOption<Integer> rtoMaxOption() {
        return Options.RTO_MAX;
    }

    /** The {@code TCP_USER_TIMEOUT} option, in milliseconds; only for epoll channels. */
    static ChannelOption<Integer> userTimeoutOption() {
        return Options.USER_TIMEOUT;
    }

    /** Sets the options on the channels {@code bootstrap} makes (dialed), if {@link #supported}. */
    static void apply(AbstractBootstrap<?, ?> bootstrap, EventLoops loops) {
        if (supported(loops)) {
            bootstrap.option(Options.RTO_MAX, (int) RTO_MAX.toMillis());
            bootstrap.option(Options.USER_TIMEOUT, (int) USER_TIMEOUT.toMillis());
        }
    }

    /** Sets the options on the connections {@code bootstrap} accepts, if {@link #supported}. */
    static void applyToAccepted(ServerBootstrap bootstrap, EventLoops loops) {
        if (supported(loops)) {
            bootstrap.childOption(Options.RTO_MAX, (int) RTO_MAX.toMillis());
            bootstrap.childOption(Options.USER_TIMEOUT, (int) USER_TIMEOUT.toMillis());
        }
    }

    /** Loaded only when epoll runs: the option class lives in the native transport's jars. */
    private static final class Options {
        static final ChannelOption<Integer> RTO_MAX =
                new IntegerUnixChannelOption("TCP_RTO_MAX_MS", IPPROTO_TCP, TCP_RTO_MAX_MS);
        static final ChannelOption<Integer> USER_TIMEOUT =
                new IntegerUnixChannelOption("TCP_USER_TIMEOUT", IPPROTO_TCP, TCP_USER_TIMEOUT);
    }
}
