package org.meshfold.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.meshfold.daemon.NodeStatus;

/**
 * The progress of {@code meshfold sync} on stderr: on a terminal one bar redrawn in place; else
 * a plain line whenever the figures change, at most once per {@link #LINE_INTERVAL}, so logs and
 * pipes stay readable.
 */
final class SyncProgress {
    static final Duration LINE_INTERVAL = Duration.ofSeconds(1);
    private static final int BAR_WIDTH = 24;

    private final PrintWriter err;
    private final boolean terminal;
    private final Clock clock;
    private long startFiles = -1;
    private long startBytes;
    private String lastLine = "";
    private Instant lastPrinted = Instant.MIN;
    private int drawnWidth;

    SyncProgress(PrintWriter err, boolean terminal, Clock clock) {
        this.err = err;
        this.terminal = terminal;
        this.clock = clock;
    }

    /** True if the process talks to a terminal (not a pipe or a file). */
    static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Console.isTerminal() (JDK 22+) tells a redirected console apart; on JDK 21 a console means a terminal.
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** Shows {@code f}; the first call sets the baseline the pulled figures count from. */
    void update(NodeStatus.Folder f) {
        if (startFiles < 0) {
            startFiles = orZero(f.filesPulled());
            startBytes = orZero(f.bytesDownloaded());
        }
        String line = describe(f);
        if (terminal) {
            String bar = bar(f.percentComplete()) + " " + line;
            err.print("\r" + bar + " ".repeat(Math.max(0, drawnWidth - bar.length())));
            drawnWidth = bar.length();
            err.flush();
            return;
        }
        Instant now = clock.instant();
        if (!line.equals(lastLine) && !now.isBefore(lastPrinted.plus(LINE_INTERVAL))) {
            err.println("sync: " + line);
            err.flush();
            lastLine = line;
            lastPrinted = now;
        }
    }

    /** Ends the bar's line, so what follows starts on a fresh one. */
    void finish() {
        if (terminal && drawnWidth > 0) {
            err.println();
            err.flush();
        }
    }

    /** Files and bytes pulled since the start, what is left, and how many connected devices match. */
    String describe(NodeStatus.Folder f) {
        int connected = f.connectedDevices() == null ? 0 : f.connectedDevices();
        String devices = connected == 0 ? "connecting to devices"
                : (f.peersInSync() == null ? 0 : f.peersInSync()) + "/" + connected + " device(s) in sync";
        return String.format(Locale.ROOT, "%s: %d file(s) pulled, %s; %d to pull; %s", f.id(),
                orZero(f.filesPulled()) - startFiles, StatusText.bytes(orZero(f.bytesDownloaded()) - startBytes),
                f.needFiles() == null ? 0 : f.needFiles(), devices);
    }

    private static String bar(Double percent) {
        double p = percent == null ? 0 : Math.max(0, Math.min(100, percent));
        int filled = (int) Math.round(p / 100 * BAR_WIDTH);
        return String.format(Locale.ROOT, "[%s%s] %5.1f%%", "#".repeat(filled), "-".repeat(BAR_WIDTH - filled), p);
    }

    private static long orZero(Long n) {
        return n == null ? 0 : n;
    }
}
