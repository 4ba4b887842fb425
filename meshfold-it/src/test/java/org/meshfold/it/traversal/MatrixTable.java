package org.meshfold.it.traversal;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The NAT matrix as a plain-text table: one row per pair, then the failures in full. */
final class MatrixTable {
    private static final String[] HEADER = {"pair (a invites, b joins)", "expected", "path a->b", "path b->a",
        "transport", "pairing ms", "connect ms", "synced", "as expected"};

    private MatrixTable() {
    }

    static String format(List<PairRun.Outcome> outcomes) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (PairRun.Outcome o : outcomes) {
            rows.add(new String[] {o.label(), String.join("|", new TreeSet<>(o.expected())), dash(o.pathAtoB()),
                dash(o.pathBtoA()), dash(o.transport()), dash(o.pairMillis()), dash(o.connectMillis()),
                o.synced() ? "yes" : "no", o.synced() && o.pathExpected() ? "yes" : "NO"});
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder s = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            for (int i = 0; i < row.length; i++) {
                s.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", row[i]));
            }
            s.append('\n');
            if (r == 0) {
                int total = 0;
                for (int w : widths) {
                    total += w + 2;
                }
                s.append("-".repeat(total - 2)).append('\n');
            }
        }
        for (PairRun.Outcome o : outcomes) {
            if (o.failure() != null) {
                s.append(o.label()).append(": ").append(o.failure()).append('\n');
            }
        }
        return s.toString();
    }

    private static String dash(Object value) {
        return value == null ? "-" : value.toString();
    }
}
