package org.meshfold.scanner;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One compiled line of an ignore file, in gitignore syntax (see {@link IgnoreMatcher}). The glob
 * is translated to a regular expression: {@code *} and {@code ?} never match '/', {@code **}
 * between slashes matches any number of directories.
 *
 * @param basenameOnly the pattern has no '/' (except a trailing one) and so matches the last
 *                     name component at any depth; otherwise it matches the whole name from the root
 */
record IgnoreRule(String text, Pattern regex, boolean negated, boolean directoryOnly, boolean basenameOnly) {

    boolean matches(String name, boolean isDirectory) {
        if (directoryOnly && !isDirectory) {
            return false;
        }
        String subject = basenameOnly ? name.substring(name.lastIndexOf('/') + 1) : name;
        return regex.matcher(subject).matches();
    }

    /**
     * Compiles one line, or returns null for a blank line or a comment.
     *
     * @throws IllegalArgumentException with the reason if the pattern is malformed
     */
    static IgnoreRule parse(String line) {
        String p = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        if (p.startsWith("#")) {
            return null;
        }
        int end = p.length();
        while (end > 0 && p.charAt(end - 1) == ' ' && !escaped(p, end - 1)) {
            end--;
        }
        p = p.substring(0, end);
        if (p.isEmpty()) {
            return null;
        }
        boolean negated = p.startsWith("!");
        if (negated) {
            p = p.substring(1);
            if (p.isEmpty()) {
                throw new IllegalArgumentException("'!' must be followed by a pattern");
            }
        }
        boolean directoryOnly = false;
        while (p.endsWith("/") && !escaped(p, p.length() - 1)) {
            directoryOnly = true;
            p = p.substring(0, p.length() - 1);
        }
        boolean anchored = p.startsWith("/");
        if (anchored) {
            p = p.substring(1);
        }
        if (p.isEmpty()) {
            throw new IllegalArgumentException("matches only the folder root itself");
        }
        if (p.startsWith("/") || p.contains("//")) {
            throw new IllegalArgumentException("empty path component ('//')");
        }
        anchored |= p.indexOf('/') >= 0;
        try {
            return new IgnoreRule(line.strip(), Pattern.compile(toRegex(p)), negated, directoryOnly, !anchored);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid character range or class", e);
        }
    }

    private static String toRegex(String p) {
        StringBuilder re = new StringBuilder(p.length() + 16);
        int n = p.length();
        int i = 0;
        while (i < n) {
            char c = p.charAt(i);
            if (c == '*') {
                int j = i;
                while (j < n && p.charAt(j) == '*') {
                    j++;
                }
                boolean wholeComponent = j - i >= 2 && (i == 0 || p.charAt(i - 1) == '/') && (j == n || p.charAt(j) == '/');
                if (!wholeComponent) {
                    re.append("[^/]*");
                    i = j;
                } else if (j == n) {
                    re.append(".*"); // "**" alone or a trailing "/**": everything (inside)
                    i = j;
                } else {
                    re.append("(?:.*/)?"); // leading "**/" or middle "/**/": zero or more directories
                    i = j + 1;
                }
            } else if (c == '?') {
                re.append("[^/]");
                i++;
            } else if (c == '[') {
                i = appendBracket(p, i, re);
            } else if (c == '\\') {
                if (i + 1 == n) {
                    throw new IllegalArgumentException("ends with an unescaped backslash");
                }
                appendLiteral(re, p.charAt(i + 1));
                i += 2;
            } else {
                appendLiteral(re, c);
                i++;
            }
        }
        return re.toString();
    }

    /** Translates the bracket expression starting at {@code p[open]}; returns the index after it. */
    private static int appendBracket(String p, int open, StringBuilder re) {
        int n = p.length();
        int j = open + 1;
        boolean negated = j < n && (p.charAt(j) == '!' || p.charAt(j) == '^');
        if (negated) {
            j++;
        }
        StringBuilder set = new StringBuilder();
        boolean first = true;
        while (true) {
            if (j >= n) {
                throw new IllegalArgumentException("unterminated '[' at position " + (open + 1));
            }
            char c = p.charAt(j);
            if (c == ']' && !first) {
                break;
            }
            if (c == '[' && j + 1 < n && p.charAt(j + 1) == ':') {
                throw new IllegalArgumentException("character classes like [:alpha:] are not supported");
            }
            if (c == '\\') {
                if (++j >= n) {
                    throw new IllegalArgumentException("unterminated '[' at position " + (open + 1));
                }
                appendLiteral(set, p.charAt(j));
            } else if (c == '-' && !first && j + 1 < n && p.charAt(j + 1) != ']') {
                set.append('-');
            } else {
                appendLiteral(set, c);
            }
            first = false;
            j++;
        }
        // A slash never matches inside a bracket, as in gitignore.
        re.append(negated ? "[^/" + set + "]" : "(?!/)[" + set + "]");
        return j + 1;
    }

    /** Appends {@code c} so the regex matches it literally (in or outside a character class). */
    private static void appendLiteral(StringBuilder re, char c) {
        if (c < 128 && !Character.isLetterOrDigit(c)) {
            re.append('\\');
        }
        re.append(c);
    }

    /** True if the character at {@code index} is preceded by an odd number of backslashes. */
    private static boolean escaped(String s, int index) {
        int backslashes = 0;
        for (int k = index - 1; k >= 0 && s.charAt(k) == '\\'; k--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }
}
