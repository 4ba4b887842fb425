package org.meshfold.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonTest {
    private final Comparison table = new Comparison(List.of("meshfold", "Syncthing 1.19.2", "rsync"), "meshfold",
            Map.of("meshfold", "mf", "Syncthing 1.19.2", "Syncthing"));

    @Test
    void printMedians_threeRuns_printsMediansAndRatios() {
        Comparison.Row sync = table.declare(new Comparison.Row("1 GiB file: initial sync", "s", 2));
        for (double x : new double[] {3, 1, 2}) {
            table.add(sync, "meshfold", x);
        }
        for (double x : new double[] {8, 9, 10}) {
            table.add(sync, "Syncthing 1.19.2", x);
        }

        String out = print(table::printMedians);

        assertThat(out.lines().findFirst().orElseThrow()).contains("mf/Syncthing", "mf/rsync");
        assertThat(out).containsPattern("1 GiB file: initial sync +s +2\\.00 +9\\.00 +- +0\\.22x +-");
    }

    @Test
    void printMedians_rowWithoutValues_isLeftOut() {
        table.declare(new Comparison.Row("never measured", "s", 2));
        Comparison.Row wire = table.declare(new Comparison.Row("wire", "MiB", 1));
        table.add(wire, "rsync", 1024);

        String out = print(table::printMedians);

        assertThat(out).doesNotContain("never measured").contains("1,024.0");
    }

    @Test
    void printRuns_listsEveryValuePerTool() {
        Comparison.Row sync = table.declare(new Comparison.Row("sync", "s", 1));
        table.add(sync, "rsync", 1.25);
        table.add(sync, "rsync", 2.5);

        assertThat(print(table::printRuns)).containsPattern("sync +rsync +s +1\\.3, 2\\.5");
    }

    @Test
    void add_unknownColumn_fails() {
        Comparison.Row sync = table.declare(new Comparison.Row("sync", "s", 1));

        assertThatThrownBy(() -> table.add(sync, "unison", 1)).hasMessageContaining("unison");
    }

    @Test
    void percentile_twentySamples_isNearestRank() {
        List<Double> xs = new java.util.ArrayList<>();
        for (int i = 20; i >= 1; i--) {
            xs.add((double) i * 10);
        }

        assertThat(Comparison.percentile(xs, 50)).isEqualTo(100);
        assertThat(Comparison.percentile(xs, 95)).isEqualTo(190);
        assertThat(Comparison.median(xs)).isEqualTo(105);
    }

    private static String print(java.util.function.Consumer<PrintStream> printer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        printer.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
