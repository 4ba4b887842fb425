package org.meshfold.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshfold.bench.CompareOptions.Scenario;
import org.meshfold.bench.CompareOptions.Tool;

class CompareOptionsTest {
    @Test
    void parse_noOptions_runsEverythingAtFullSize() throws Exception {
        CompareOptions o = CompareOptions.parse(List.of());

        assertThat(o.runs()).isEqualTo(CompareOptions.DEFAULT_RUNS);
        assertThat(o.tools()).containsExactly(Tool.values());
        assertThat(o.scenarios()).containsExactlyInAnyOrder(Scenario.values());
        assertThat(o.largeBytes()).isEqualTo(1L << 30);
        assertThat(o.insertOffset()).isEqualTo((300L << 20) + 12_345);
        assertThat(o.mediumFiles()).isEqualTo(2_000);
        assertThat(o.mediumBytes()).isEqualTo(500L << 20);
        assertThat(o.smallFiles()).isEqualTo(20_000);
        assertThat(o.latencyFiles()).isEqualTo(20);
    }

    @Test
    void parse_toolsAndScenarios_keepsTheGivenOrder() throws Exception {
        CompareOptions o = CompareOptions.parse(List.of("--tools", "rsync-fsync,meshfold", "--scenarios", "small"));

        assertThat(o.tools()).containsExactly(Tool.RSYNC_FSYNC, Tool.MESHFOLD);
        assertThat(o.scenarios()).containsExactly(Scenario.SMALL);
    }

    @Test
    void parse_unknownTool_namesIt() {
        assertThatThrownBy(() -> CompareOptions.parse(List.of("--tools", "meshfold,unison")))
                .isInstanceOf(BenchOptions.UsageException.class).hasMessageContaining("unison");
    }

    @Test
    void parse_insertBeyondTheFile_fails() {
        assertThatThrownBy(() -> CompareOptions.parse(List.of("--large-mib", "64", "--insert-offset-mib", "64")))
                .isInstanceOf(BenchOptions.UsageException.class).hasMessageContaining("--insert-offset-mib");
    }

    @Test
    void parse_zeroRuns_fails() {
        assertThatThrownBy(() -> CompareOptions.parse(List.of("--runs", "0")))
                .isInstanceOf(BenchOptions.UsageException.class).hasMessageContaining("--runs");
    }
}
