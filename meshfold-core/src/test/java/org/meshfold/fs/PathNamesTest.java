package org.meshfold.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"../../x", "/etc/x", "a/../../x", "a//b", "./a", "a/.", "a\\b", "", ".meshfold-tmp-x",
        "dir/.meshfold-tmp-y"})
    void validate_unsafeNames_areRejected(String name) {
        assertThatThrownBy(() -> PathNames.validate(name)).isInstanceOf(InvalidNameException.class);
    }

    @Test
    void validate_nulAndLongComponent_areRejectedWithTheReason() {
        assertThatThrownBy(() -> PathNames.validate("a\0b")).hasMessageContaining("NUL");
        assertThatThrownBy(() -> PathNames.validate("d/" + "x".repeat(256))).hasMessageContaining("255 bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b/c.txt", "ünïcödé/日本語.md", "..hidden", "a..b", ".config"})
    void validate_ordinaryNames_pass(String name) {
        assertThat(PathNames.validate(name)).isEqualTo(name);
    }

    @Test
    void resolve_staysInsideTheRoot() {
        Path root = Path.of("/srv/folder");

        assertThat(PathNames.resolve(root, "a/b")).isEqualTo(Path.of("/srv/folder/a/b"));
        assertThatThrownBy(() -> PathNames.resolve(root, "../x")).isInstanceOf(InvalidNameException.class);
    }

    @Test
    void tempName_isInTheSameDirectoryWithThePrefix() {
        assertThat(PathNames.tempName("a/b/file.txt")).isEqualTo("a/b/.meshfold-tmp-file.txt");
        assertThat(PathNames.tempName("top")).isEqualTo(".meshfold-tmp-top");
    }

    @Test
    void tempTarget_invertsTempNameUnlessShortened() {
        assertThat(PathNames.tempTarget(PathNames.tempName("a/b/report.pdf"))).isEqualTo("a/b/report.pdf");
        assertThat(PathNames.tempTarget(PathNames.tempName("top.txt"))).isEqualTo("top.txt");
        assertThat(PathNames.tempTarget(PathNames.tempName("d/" + "y".repeat(250)))).isNull();
        assertThat(PathNames.tempTarget("d/plain.txt")).isNull();
        assertThat(PathNames.tempTarget(PathNames.TEMP_PREFIX)).isNull();
    }
}
