package org.meshfold.replication;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers messages between in-process devices on one thread, in the order they were sent, like
 * a network with one ordered stream per connection. Counts messages not yet delivered, so tests
 * can tell when the network is quiet.
 */
final class InProcessNetwork implements AutoCloseable {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-network");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger pending = new AtomicInteger();

    void deliver(Runnable message) {
        pending.incrementAndGet();
        thread.execute(() -> {
            try {
                message.run();
            } finally {
                pending.decrementAndGet();
            }
        });
    }

    int pending() {
        return pending.get();
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
