package org.meshfold.scanner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.fs.PathNames;

class IgnoreMatcherTest {

    private static IgnoreMatcher rules(String... lines) {
        return IgnoreMatcher.parse("test", List.of(lines));
    }

    private static boolean file(IgnoreMatcher m, String name) {
        return m.ignored(name, false);
    }

    private static boolean dir(IgnoreMatcher m, String name) {
        return m.ignored(name, true);
    }

    @Test
    void ignored_blankLinesAndComments_matchNothing() {
        IgnoreMatcher m = rules("", "   ", "# *.txt", "#");
        assertThat(file(m, "a.txt")).isFalse();
        assertThat(file(m, "# *.txt")).isFalse();
    }

    @Test
    void ignored_patternWithoutSlash_matchesBasenameAtAnyDepth() {
        IgnoreMatcher m = rules("*.log");
        assertThat(file(m, "a.log")).isTrue();
        assertThat(file(m, "x/y/b.log")).isTrue();
        assertThat(file(m, "a.log.txt")).isFalse();
        assertThat(dir(m, "logs.log")).isTrue();
    }

    @Test
    void ignored_ignoredDirectory_excludesEverythingInside() {
        IgnoreMatcher m = rules("build");
        assertThat(dir(m, "build")).isTrue();
        assertThat(file(m, "build/a/b/c.o")).isTrue();
        assertThat(file(m, "src/build/x")).isTrue();
        assertThat(file(m, "builder/x")).isFalse();
    }

    @Test
    void ignored_trailingSlash_matchesDirectoriesOnly() {
        IgnoreMatcher m = rules("cache/");
        assertThat(dir(m, "cache")).isTrue();
        assertThat(dir(m, "a/cache")).isTrue();
        assertThat(file(m, "cache")).isFalse();
        assertThat(file(m, "cache/x")).isTrue();
    }

    @Test
    void ignored_leadingSlash_anchorsToRoot() {
        IgnoreMatcher m = rules("/todo.txt");
        assertThat(file(m, "todo.txt")).isTrue();
        assertThat(file(m, "sub/todo.txt")).isFalse();
    }

    @Test
    void ignored_middleSlash_anchorsToRoot() {
        IgnoreMatcher m = rules("doc/*.pdf");
        assertThat(file(m, "doc/a.pdf")).isTrue();
        assertThat(file(m, "x/doc/a.pdf")).isFalse();
        assertThat(file(m, "doc/sub/a.pdf")).isFalse();
    }

    @Test
    void ignored_starAndQuestionMark_doNotMatchSlash() {
        IgnoreMatcher m = rules("a*b", "/c?d");
        assertThat(file(m, "ab")).isTrue();
        assertThat(file(m, "axxb")).isTrue();
        assertThat(file(m, "c1d")).isTrue();
        assertThat(file(m, "cd")).isFalse();
        assertThat(file(m, "c/d")).isFalse();
        IgnoreMatcher anchored = rules("/a*b");
        assertThat(file(anchored, "a/b")).isFalse();
    }

    @Test
    void ignored_bracketExpressions_matchOneCharacter() {
        IgnoreMatcher m = rules("file[abc].txt", "img[0-9].png", "x[!a].y", "q[^b].z", "[]]w");
        assertThat(file(m, "filea.txt")).isTrue();
        assertThat(file(m, "filed.txt")).isFalse();
        assertThat(file(m, "img7.png")).isTrue();
        assertThat(file(m, "imgx.png")).isFalse();
        assertThat(file(m, "xb.y")).isTrue();
        assertThat(file(m, "xa.y")).isFalse();
        assertThat(file(m, "qc.z")).isTrue();
        assertThat(file(m, "qb.z")).isFalse();
        assertThat(file(m, "]w")).isTrue();
    }

    @Test
    void ignored_bracketNeverMatchesSlash() {
        IgnoreMatcher m = rules("/a[!x]b", "/c[/]d");
        assertThat(file(m, "a/b")).isFalse();
        assertThat(file(m, "c/d")).isFalse();
        assertThat(file(m, "ayb")).isTrue();
    }

    @Test
    void ignored_leadingDoubleStar_matchesAtAnyDepth() {
        IgnoreMatcher m = rules("**/foo", "**/x/bar");
        assertThat(file(m, "foo")).isTrue();
        assertThat(file(m, "a/b/foo")).isTrue();
        assertThat(file(m, "x/bar")).isTrue();
        assertThat(file(m, "a/x/bar")).isTrue();
        assertThat(file(m, "a/bar")).isFalse();
    }

    @Test
    void ignored_trailingDoubleStar_matchesEverythingInsideButNotTheDirectory() {
        IgnoreMatcher m = rules("abc/**");
        assertThat(dir(m, "abc")).isFalse();
        assertThat(file(m, "abc/x")).isTrue();
        assertThat(file(m, "abc/x/y/z")).isTrue();
        assertThat(file(m, "d/abc/x")).isFalse();
    }

    @Test
    void ignored_middleDoubleStar_matchesZeroOrMoreDirectories() {
        IgnoreMatcher m = rules("a/**/b");
        assertThat(file(m, "a/b")).isTrue();
        assertThat(file(m, "a/x/b")).isTrue();
        assertThat(file(m, "a/x/y/b")).isTrue();
        assertThat(file(m, "a/xb")).isFalse();
        assertThat(file(m, "z/a/b")).isFalse();
    }

    @Test
    void ignored_doubleStarInsideComponent_actsLikeSingleStar() {
        IgnoreMatcher m = rules("/a**b");
        assertThat(file(m, "axyb")).isTrue();
        assertThat(file(m, "ax/yb")).isFalse();
    }

    @Test
    void ignored_onlyDoubleStar_matchesEverything() {
        IgnoreMatcher m = rules("**", "!keep");
        assertThat(file(m, "a")).isTrue();
        assertThat(file(m, "a/b/c")).isTrue();
        assertThat(file(m, "keep")).isFalse();
    }

    @Test
    void ignored_negation_lastMatchingLineWins() {
        IgnoreMatcher m = rules("*.txt", "!important.txt", "very/important.txt");
        assertThat(file(m, "a.txt")).isTrue();
        assertThat(file(m, "important.txt")).isFalse();
        assertThat(file(m, "sub/important.txt")).isFalse();
        assertThat(file(m, "very/important.txt")).isTrue();
    }

    @Test
    void ignored_negationInsideIgnoredDirectory_cannotReinclude() {
        IgnoreMatcher m = rules("secret/", "!secret/keep.txt");
        assertThat(file(m, "secret/keep.txt")).isTrue();
        IgnoreMatcher allButSrc = rules("/*", "!/src/");
        assertThat(dir(allButSrc, "src")).isFalse();
        assertThat(file(allButSrc, "src/main.c")).isFalse();
        assertThat(file(allButSrc, "README")).isTrue();
        assertThat(file(allButSrc, "docs/x")).isTrue();
    }

    @Test
    void ignored_escapedHashAndBang_areLiterals() {
        IgnoreMatcher m = rules("\\#notes", "\\!important", "a\\*b");
        assertThat(file(m, "#notes")).isTrue();
        assertThat(file(m, "!important")).isTrue();
        assertThat(file(m, "important")).isFalse();
        assertThat(file(m, "a*b")).isTrue();
        assertThat(file(m, "axb")).isFalse();
    }

    @Test
    void ignored_trailingSpaces_trimmedUnlessEscaped() {
        IgnoreMatcher m = rules("foo.txt   ", "bar\\ ");
        assertThat(file(m, "foo.txt")).isTrue();
        assertThat(file(m, "bar ")).isTrue();
        assertThat(file(m, "bar")).isFalse();
    }

    @Test
    void ignored_leadingSpacesAndWindowsLineEnds_handled() {
        IgnoreMatcher m = rules(" lead", "crlf\r");
        assertThat(file(m, " lead")).isTrue();
        assertThat(file(m, "lead")).isFalse();
        assertThat(file(m, "crlf")).isTrue();
    }

    @Test
    void ignored_regexCharacters_areLiteral() {
        IgnoreMatcher m = rules("a.b", "(x)+{y}$", "é*");
        assertThat(file(m, "a.b")).isTrue();
        assertThat(file(m, "axb")).isFalse();
        assertThat(file(m, "(x)+{y}$")).isTrue();
        assertThat(file(m, "été")).isTrue();
    }

    @Test
    void ignored_tempNamesAndIgnoreFile_alwaysIgnored() {
        IgnoreMatcher m = IgnoreMatcher.NONE;
        assertThat(file(m, PathNames.TEMP_PREFIX + "x")).isTrue();
        assertThat(file(m, "a/" + PathNames.tempName("b"))).isTrue();
        assertThat(file(m, PathNames.TEMP_PREFIX + "dir/inner")).isTrue();
        assertThat(file(m, PathNames.IGNORE_FILE)).isTrue();
        assertThat(file(m, "sub/" + PathNames.IGNORE_FILE)).isFalse();
        assertThat(file(rules("!" + PathNames.IGNORE_FILE), PathNames.IGNORE_FILE)).isTrue();
        assertThat(file(m, "normal")).isFalse();
    }

    @Test
    void parse_badPatterns_nameSourceAndLine() {
        assertBad(List.of("ok", "a[bc"), 2, "unterminated '['");
        assertBad(List.of("x\\"), 1, "backslash");
        assertBad(List.of("#c", "", "!"), 3, "'!'");
        assertBad(List.of("/"), 1, "root");
        assertBad(List.of("a//b"), 1, "empty path component");
        assertBad(List.of("[z-a]"), 1, "range");
        assertBad(List.of("[[:alpha:]]"), 1, "character classes");
    }

    private static void assertBad(List<String> lines, int line, String reason) {
        assertThatThrownBy(() -> IgnoreMatcher.parse("/f/.meshfoldignore", lines))
                .isInstanceOfSatisfying(IgnorePatternException.class, e -> {
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.source()).isEqualTo("/f/.meshfoldignore");
                })
                .hasMessageContaining("/f/.meshfoldignore line " + line)
                .hasMessageContaining(reason);
    }

    @Test
    void load_ignoreFileAtRoot_isParsed(@TempDir Path root) throws IOException {
        Files.writeString(root.resolve(PathNames.IGNORE_FILE), "\uFEFF*.tmp\n# comment\n!keep.tmp\n");
        IgnoreMatcher m = IgnoreMatcher.load(root);
        assertThat(file(m, "a.tmp")).isTrue();
        assertThat(file(m, "keep.tmp")).isFalse();
    }

    @Test
    void load_noIgnoreFile_ignoresOnlyBuiltIns(@TempDir Path root) throws IOException {
        assertThat(IgnoreMatcher.load(root)).isSameAs(IgnoreMatcher.NONE);
    }

    @Test
    void load_invalidUtf8_reportsLine(@TempDir Path root) throws IOException {
        Path f = Files.write(root.resolve(PathNames.IGNORE_FILE), new byte[] {'a', '\n', (byte) 0xff, '\n'});
        assertThatThrownBy(() -> IgnoreMatcher.load(root))
                .isInstanceOf(IgnorePatternException.class)
                .hasMessageContaining(f + " line 2")
                .hasMessageContaining("UTF-8");
    }
}
