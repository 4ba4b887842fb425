package org.meshfold.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The native epoll transport on Linux when it loads, NIO otherwise. Epoll is looked up by name
 * because its classes are a runtime-only dependency (they exist only with the Linux native jar).
 */
record EventLoops(EventLoopGroup group, Class<? extends ServerChannel> serverChannel,
        Class<? extends SocketChannel> socketChannel, boolean isNative) {
    private static final String EPOLL = "io.netty.channel.epoll.";

    static EventLoops create(int threads, String name) {
        DefaultThreadFactory threadFactory = new DefaultThreadFactory(name, true);
        try {
            if ((boolean) Class.forName(EPOLL + "Epoll").getMethod("isAvailable").invoke(null)) {
                var factory = (IoHandlerFactory) Class.forName(EPOLL + "EpollIoHandler").getMethod("newFactory")
                        .invoke(null);
                return new EventLoops(new MultiThreadIoEventLoopGroup(threads, threadFactory, factory),
                        Class.forName(EPOLL + "EpollServerSocketChannel").asSubclass(ServerChannel.class),
                        Class.forName(EPOLL + "EpollSocketChannel").asSubclass(SocketChannel.class), true);
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            // Not on Linux, or the native library cannot load: NIO works everywhere.
        }
        return new EventLoops(new MultiThreadIoEventLoopGroup(threads, threadFactory, NioIoHandler.newFactory()),
                NioServerSocketChannel.class, NioSocketChannel.class, false);
    }
}
