package org.meshfold.it.traversal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Where lab tests keep homes and logs (under {@code target/}, kept after the run), and log excerpts. */
final class LabLogs {
    private LabLogs() {
    }

    /** A new directory {@code target/natlab/<name>-<time>} for one test class's run. */
    static Path runDirectory(String name) {
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path dir = Path.of("target", "natlab", name + "-" + time).toAbsolutePath();
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** The last {@code lines} lines of {@code file}, saying how many came before and where the rest is. */
    static String tail(Path file, int lines) {
        if (!Files.exists(file)) {
            return "(" + file + " does not exist)";
        }
        List<String> all;
        try {
            // Daemon logs may end in a half-written line or bytes of another charset: decode leniently.
            all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
        List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
        return (all.size() > lines ? "… " + (all.size() - lines) + " earlier lines in " + file + "\n" : "")
                + String.join("\n", last);
    }
}
