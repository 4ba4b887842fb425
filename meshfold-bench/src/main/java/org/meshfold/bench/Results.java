package org.meshfold.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Figures collected over several runs, printed as a table: metric, unit, median, every run's value. */
final class Results {
    /** A figure: its label, unit and how many decimals to print. */
    record Metric(String label, String unit, int decimals) {
    }

    private final Map<Metric, List<Double>> values = new LinkedHashMap<>();

    void add(Metric metric, double value) {
        values.computeIfAbsent(metric, m -> new ArrayList<>()).add(value);
    }

    /** Declares a metric now, so the table keeps this order even if values arrive in another. */
    Metric declare(Metric metric) {
        values.computeIfAbsent(metric, m -> new ArrayList<>());
        return metric;
    }

    static double median(List<Double> xs) {
        List<Double> sorted = xs.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    void print(PrintStream out) {
        int width = values.keySet().stream().mapToInt(m -> m.label().length()).max().orElse(10);
        String row = "%-" + width + "s  %-6s  %12s  %s%n";
        out.printf(Locale.ROOT, row, "metric", "unit", "median", "runs");
        for (var e : values.entrySet()) {
            Metric m = e.getKey();
            List<Double> xs = e.getValue();
            String median = xs.isEmpty() ? "-" : format(m, median(xs));
            String all = xs.stream().map(x -> format(m, x)).collect(Collectors.joining(", "));
            out.printf(Locale.ROOT, row, m.label(), m.unit(), median, all);
        }
    }

    private static String format(Metric m, double x) {
        return String.format(Locale.ROOT, "%,." + m.decimals() + "f", x);
    }
}
