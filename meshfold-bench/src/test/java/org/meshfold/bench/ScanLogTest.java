package org.meshfold.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanLogTest {
    private static final String PREFIX = "2026-11-21 20:36:21,560 INFO  [meshfold-scan-bench] o.m.daemon.FolderRuntime - ";

    @TempDir
    Path dir;

    @Test
    void fullAndChangeScans_eachFoundByItsKindAndFolder() throws Exception {
        Path log = write(
                PREFIX + "folder other: scan of 1 changed name(s) hashed 1 new or changed file(s), 999 bytes, in 1 ms;"
                        + " 1 change(s) committed in 0 ms",
                PREFIX + "folder bench: full scan hashed 1 new or changed file(s), 1073741824 bytes, in 1340 ms;"
                        + " 1 change(s) committed in 123 ms",
                PREFIX + "folder bench: scan of 2 changed name(s) hashed 1 new or changed file(s), 1074790400 bytes,"
                        + " in 550 ms; 1 change(s) committed in 20 ms");

        ScanLog.Scan full = ScanLog.awaitFirstFullScan(log, "bench", Duration.ofSeconds(1));
        ScanLog.Scan change = ScanLog.awaitFirstChangeScan(log, "bench", Duration.ofSeconds(1));

        assertThat(full).isEqualTo(new ScanLog.Scan(1, 1_073_741_824L, 1340, 123));
        assertThat(change).isEqualTo(new ScanLog.Scan(1, 1_074_790_400L, 550, 20));
        assertThat(change.mibPerSecond()).isCloseTo(1025 / 0.55, Offset.offset(0.01));
    }

    @Test
    void noChangeScanLogged_timesOutNamingTheLog() throws IOException {
        Path log = write(PREFIX + "folder bench: full scan hashed 0 new or changed file(s), 0 bytes, in 3 ms;"
                + " 0 change(s) committed in 0 ms");

        assertThatThrownBy(() -> ScanLog.awaitFirstChangeScan(log, "bench", Duration.ZERO))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining(log.toString())
                .hasMessageContaining("changed-name scan");
    }

    private Path write(String... lines) throws IOException {
        return Files.write(dir.resolve("meshfold.log"), List.of(lines));
    }
}
