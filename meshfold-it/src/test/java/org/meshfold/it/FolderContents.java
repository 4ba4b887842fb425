package org.meshfold.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The text content of every file under some directories of a folder, and conflict copy names. */
final class FolderContents {
    private FolderContents() {
    }

    /** Name (relative to the folder) to content of every regular file under {@code dirs}, temp files left out. */
    static Map<String, String> read(Path folder, Collection<String> dirs) {
        Map<String, String> out = new TreeMap<>();
        for (String dir : dirs) {
            Path top = folder.resolve(dir);
            if (!Files.isDirectory(top)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(top)) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    if (!p.getFileName().toString().startsWith(".meshfold-tmp-")) {
                        out.put(folder.relativize(p).toString(), Files.readString(p, StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + top, e);
            }
        }
        return out;
    }

    /**
     * True if {@code candidate} is a conflict copy of {@code name}: in the same directory, named
     * {@code stem.sync-conflict-YYYYMMDD-HHMMSS-DEVICE[-N].ext}, where the extension starts at the
     * last dot of the last name segment (as org.meshfold.replication.ConflictNames makes them).
     */
    static boolean isConflictCopyOf(String candidate, String name) {
        int slash = name.lastIndexOf('/');
        int dot = name.lastIndexOf('.');
        boolean hasExt = dot > slash + 1;
        String stem = hasExt ? name.substring(0, dot) : name;
        String ext = hasExt ? name.substring(dot) : "";
        return Pattern.matches(Pattern.quote(stem) + "\\.sync-conflict-\\d{8}-\\d{6}-[A-Z2-7]{7}(-\\d+)?"
                + Pattern.quote(ext), candidate);
    }

    /** Where {@code content} of {@code name} is in {@code state}: the name itself or a conflict copy of it; null if nowhere. */
    static String whereKept(Map<String, String> state, String name, String content) {
        if (content.equals(state.get(name))) {
            return name;
        }
        return state.entrySet().stream()
                .filter(e -> e.getValue().equals(content) && isConflictCopyOf(e.getKey(), name))
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }
}
