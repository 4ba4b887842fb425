package org.meshfold.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Figures of several tools over several runs, printed as one table: per row, each tool's median
 * and the ratio of the reference tool's median to each other tool's (below 1: the reference is
 * lower, i.e. faster, fewer bytes or less memory), then every run's value. Not thread-safe.
 */
final class Comparison {
    /** A figure: its label, unit and how many decimals to print. */
    record Row(String label, String unit, int decimals) {
    }

    private final List<String> columns;
    private final String reference;
    private final Map<String, String> ratioNames;
    private final Map<Row, Map<String, List<Double>>> values = new LinkedHashMap<>();

    /**
     * @param columns    tool names, in table order
     * @param reference  the tool whose medians are divided by the others' (one of {@code columns}), or
     *                   null for no ratio columns
     * @param ratioNames short names of tools for the ratio columns' headers; a tool without one is
     *                   named by its column
     */
    Comparison(List<String> columns, String reference, Map<String, String> ratioNames) {
        this.columns = List.copyOf(columns);
        this.reference = reference;
        this.ratioNames = Map.copyOf(ratioNames);
    }

    /** Declares a row now, so the table keeps this order whatever order values arrive in. */
    Row declare(Row row) {
        values.computeIfAbsent(row, r -> new HashMap<>());
        return row;
    }

    void add(Row row, String column, double value) {
        if (!columns.contains(column)) {
            throw new IllegalArgumentException("no column '" + column + "' in " + columns);
        }
        values.computeIfAbsent(row, r -> new HashMap<>()).computeIfAbsent(column, c -> new ArrayList<>()).add(value);
    }

    List<Double> values(Row row, String column) {
        return values.getOrDefault(row, Map.of()).getOrDefault(column, List.of());
    }

    static double median(List<Double> xs) {
        List<Double> sorted = xs.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Nearest-rank percentile {@code p} (0-100) of {@code xs}. */
    static double percentile(List<Double> xs, double p) {
        List<Double> sorted = xs.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** The table of medians and ratios; rows without any value are left out. */
    void printMedians(PrintStream out) {
        List<String> others = reference == null ? List.of()
                : columns.stream().filter(c -> !c.equals(reference)).toList();
        List<String> header = new ArrayList<>(List.of("metric", "unit"));
        header.addAll(columns);
        others.forEach(o -> header.add(ratioNames.getOrDefault(reference, reference) + "/"
                + ratioNames.getOrDefault(o, o)));
        List<List<String>> lines = new ArrayList<>();
        lines.add(header);
        for (var e : values.entrySet()) {
            Row row = e.getKey();
            if (e.getValue().isEmpty()) {
                continue;
            }
            List<String> line = new ArrayList<>(List.of(row.label(), row.unit()));
            for (String c : columns) {
                List<Double> xs = e.getValue().getOrDefault(c, List.of());
                line.add(xs.isEmpty() ? "-" : format(row, median(xs)));
            }
            for (String o : others) {
                line.add(ratio(e.getValue().get(reference), e.getValue().get(o)));
            }
            lines.add(line);
        }
        printAligned(out, lines);
    }

    /** Every run's value, per row and tool. */
    void printRuns(PrintStream out) {
        int width = values.keySet().stream().mapToInt(r -> r.label().length()).max().orElse(10);
        int toolWidth = columns.stream().mapToInt(String::length).max().orElse(10);
        for (var e : values.entrySet()) {
            for (String c : columns) {
                List<Double> xs = e.getValue().getOrDefault(c, List.of());
                if (!xs.isEmpty()) {
                    out.printf(Locale.ROOT, "%-" + width + "s  %-" + toolWidth + "s  %-6s %s%n", e.getKey().label(), c,
                            e.getKey().unit(), xs.stream().map(x -> format(e.getKey(), x))
                                    .collect(Collectors.joining(", ")));
                }
            }
        }
    }

    private static String ratio(List<Double> mine, List<Double> theirs) {
        if (mine == null || theirs == null || mine.isEmpty() || theirs.isEmpty() || median(theirs) == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2fx", median(mine) / median(theirs));
    }

    private static String format(Row row, double x) {
        return String.format(Locale.ROOT, "%,." + row.decimals() + "f", x);
    }

    /** First column left-aligned, the rest right-aligned, two spaces apart. */
    private static void printAligned(PrintStream out, List<List<String>> lines) {
        int n = lines.get(0).size();
        int[] widths = new int[n];
        for (List<String> line : lines) {
            for (int i = 0; i < n; i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        for (List<String> line : lines) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                String cell = line.get(i);
                String pad = " ".repeat(widths[i] - cell.length());
                sb.append(i <= 1 ? cell + pad : pad + cell).append(i == n - 1 ? "" : "  ");
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
