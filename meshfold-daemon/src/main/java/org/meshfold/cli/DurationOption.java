package org.meshfold.cli;

import java.time.Duration;
import picocli.CommandLine;

/** Parses durations like {@code 90s}, {@code 10m}, {@code 2h}. */
final class DurationOption implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (!t.matches("\\d{1,6}[smh]")) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a duration such as 90s, 10m or 2h");
        }
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
