package org.meshfold.scanner;

/** A line of an ignore file that is not a valid pattern; names the file and line to fix. */
public final class IgnorePatternException extends IllegalArgumentException {
    private final String source;
    private final int line;

    public IgnorePatternException(String source, int line, String text, String reason) {
        super(source + " line " + line + ": bad ignore pattern '" + text + "': " + reason
                + "; fix or remove this line");
        this.source = source;
        this.line = line;
    }

    /** The ignore file (or other origin) the pattern came from. */
    public String source() {
        return source;
    }

    /** 1-based line number. */
    public int line() {
        return line;
    }
}
