package org.meshfold.bench;

import java.io.IOException;

/**
 * Runs {@code sync(1)}, so that writes left by a previous run are on disk before the next is
 * timed and no run competes with the write-back of the one before; untimed, between runs.
 */
final class DirtyPages {
    private DirtyPages() {
    }

    static void flush() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sync").inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("sync(1) failed with status " + p.exitValue());
        }
    }
}
