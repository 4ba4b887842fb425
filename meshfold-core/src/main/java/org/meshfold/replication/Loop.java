package org.meshfold.replication;

import java.time.Duration;
import java.util.concurrent.Future;

/** The folder's single-threaded event loop, as seen by the components it owns. */
interface Loop {
    /** Runs {@code event} on the loop thread, after the events already posted. */
    void post(Runnable event);

    /** Runs {@code event} on the loop thread after {@code delay}. */
    Future<?> schedule(Runnable event, Duration delay);
}
