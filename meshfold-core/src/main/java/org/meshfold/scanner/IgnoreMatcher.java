package org.meshfold.scanner;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.meshfold.fs.PathNames;

/**
 * Decides which names of a folder are not synced, from the folder's {@value PathNames#IGNORE_FILE}
 * in gitignore syntax:
 * <ul>
 * <li>blank lines and lines starting with {@code #} are skipped; trailing spaces are trimmed
 *     unless escaped ({@code \ }); {@code \#} and {@code \!} start a pattern with a literal
 *     {@code #} or {@code !}</li>
 * <li>{@code !pattern} re-includes what an earlier pattern excluded; the last matching line wins</li>
 * <li>a trailing {@code /} matches directories only</li>
 * <li>a leading or middle {@code /} anchors the pattern to the folder root; otherwise it matches
 *     the last name component at any depth</li>
 * <li>{@code *} and {@code ?} (never matching '/'), {@code [abc]}, {@code [a-z]}, {@code [!a]};
 *     a double star as a whole component spans directories: leading (<code>&#42;&#42;/x</code>),
 *     trailing (<code>x/&#42;&#42;</code>, everything inside x) or middle
 *     (<code>a/&#42;&#42;/b</code>, zero or more directories)</li>
 * </ul>
 * An ignored directory excludes everything inside it; nothing inside can be re-included (as in
 * git). Names with the {@link PathNames#TEMP_PREFIX} and the ignore file itself are always
 * ignored. Immutable and thread-safe.
 */
public final class IgnoreMatcher {
    /** Ignores only the always-ignored names. */
    public static final IgnoreMatcher NONE = new IgnoreMatcher(List.of());

    private final List<IgnoreRule> rules;

    private IgnoreMatcher(List<IgnoreRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * Reads the ignore file at the root of {@code folderRoot}; {@link #NONE} if there is none.
     *
     * @throws IgnorePatternException naming the file and line of a malformed pattern
     */
    public static IgnoreMatcher load(Path folderRoot) throws IOException {
        Path file = folderRoot.resolve(PathNames.IGNORE_FILE);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return NONE;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return NONE;
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            try {
                lines.add(utf8.decode(ByteBuffer.wrap(bytes, start, end - start)).toString());
            } catch (CharacterCodingException e) {
                throw new IgnorePatternException(file.toString(), lines.size() + 1, "", "not valid UTF-8");
            }
            start = end + 1;
        }
        if (!lines.isEmpty() && lines.getFirst().startsWith("\uFEFF")) {
            lines.set(0, lines.getFirst().substring(1));
        }
        return parse(file.toString(), lines);
    }

    /**
     * Compiles {@code lines} of an ignore file.
     *
     * @param source where the lines came from, for error messages
     * @throws IgnorePatternException naming the source and line of a malformed pattern
     */
    public static IgnoreMatcher parse(String source, List<String> lines) {
        List<IgnoreRule> rules = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            try {
                IgnoreRule rule = IgnoreRule.parse(lines.get(i));
                if (rule != null) {
                    rules.add(rule);
                }
            } catch (IllegalArgumentException e) {
                throw new IgnorePatternException(source, i + 1, lines.get(i), e.getMessage());
            }
        }
        return new IgnoreMatcher(rules);
    }

    /**
     * True if {@code relativeName} ('/'-separated, relative to the folder root) is ignored, either
     * itself or because a directory containing it is.
     */
    public boolean ignored(String relativeName, boolean isDirectory) {
        for (int slash = relativeName.indexOf('/'); slash >= 0; slash = relativeName.indexOf('/', slash + 1)) {
            if (ignoredEntry(relativeName.substring(0, slash), true)) {
                return true;
            }
        }
        return ignoredEntry(relativeName, isDirectory);
    }

    /**
     * Like {@link #ignored} but without checking the containing directories: for a walk that
     * never descends into ignored directories.
     */
    boolean ignoredEntry(String relativeName, boolean isDirectory) {
        String base = relativeName.substring(relativeName.lastIndexOf('/') + 1);
        if (PathNames.isTemp(base) || relativeName.equals(PathNames.IGNORE_FILE)) {
            return true;
        }
        for (int i = rules.size() - 1; i >= 0; i--) {
            IgnoreRule rule = rules.get(i);
            if (rule.matches(relativeName, isDirectory)) {
                return !rule.negated();
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "IgnoreMatcher" + rules.stream().map(IgnoreRule::text).toList();
    }
}
