package org.meshfold.api;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.meshfold.daemon.NodeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent events: every {@code interval} the status is taken once and compared with what each
 * subscriber saw last; the differences go out as {@link StatusEvent}s, and a {@code : ping}
 * comment every {@code pingEvery} keeps idle connections (and proxies) open. Each subscriber's
 * baseline is taken when it subscribes, before its {@code : connected} comment, so nothing that
 * happens after that comment is missed. Ticks run on the given scheduler; a subscriber whose
 * connection fails is dropped.
 */
final class EventStream implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventStream.class);

    private final Supplier<NodeStatus> status;
    private final long pingEveryTicks;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final ScheduledFuture<?> task;
    private long ticks;

    EventStream(Supplier<NodeStatus> status, ScheduledExecutorService scheduler, Duration interval, Duration pingEvery) {
        this.status = status;
        this.pingEveryTicks = Math.max(1, pingEvery.toMillis() / interval.toMillis());
        this.task = scheduler.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Starts an event stream on {@code exchange}; returns at once, later events are written by the ticks. */
    void subscribe(HttpExchange exchange) throws IOException {
        NodeStatus baseline = status.get();
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        Subscriber s = new Subscriber(exchange, exchange.getResponseBody(), baseline);
        if (s.send(": connected\n\n")) {
            subscribers.add(s);
        }
    }

    private void tick() {
        if (subscribers.isEmpty()) {
            return;
        }
        boolean ping = ++ticks % pingEveryTicks == 0;
        NodeStatus now;
        try {
            now = status.get();
        } catch (RuntimeException e) {
            log.debug("no status for event subscribers this time: {}", e.toString());
            return;
        }
        for (Subscriber s : subscribers) {
            StringBuilder text = new StringBuilder();
            StatusEvent.between(s.previous, now).forEach(e -> text.append(e.toWire()));
            s.previous = now;
            if (ping) {
                text.append(": ping\n\n");
            }
            if (!text.isEmpty() && !s.send(text.toString())) {
                subscribers.remove(s);
            }
        }
    }

    @Override
    public void close() {
        task.cancel(false);
        subscribers.forEach(Subscriber::close);
        subscribers.clear();
    }

    /** One open stream; written by the subscribing thread once, then only by ticks. */
    private static final class Subscriber {
        private final HttpExchange exchange;
        private final OutputStream out;
        private volatile NodeStatus previous;

        Subscriber(HttpExchange exchange, OutputStream out, NodeStatus baseline) {
            this.exchange = exchange;
            this.out = out;
            this.previous = baseline;
        }

        synchronized boolean send(String text) {
            try {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
                return true;
            } catch (IOException e) {
                log.debug("event subscriber {} went away: {}", exchange.getRemoteAddress(), e.toString());
                close();
                return false;
            }
        }

        void close() {
            exchange.close();
        }
    }
}
