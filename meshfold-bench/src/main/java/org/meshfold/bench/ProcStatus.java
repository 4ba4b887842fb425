package org.meshfold.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a live process's figures from Linux {@code /proc/PID/status}. */
final class ProcStatus {
    private ProcStatus() {
    }

    /**
     * The most memory the process has had resident ({@code VmHWM}), in bytes; read just before
     * stopping it, it is the peak of its whole life.
     */
    static long peakRssBytes(long pid) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
            if (line.startsWith("VmHWM:")) {
                String[] parts = line.substring("VmHWM:".length()).trim().split("\\s+");
                return Long.parseLong(parts[0]) * 1024;
            }
        }
        throw new IOException("no VmHWM line in " + status + ": peak RSS needs Linux /proc");
    }
}
