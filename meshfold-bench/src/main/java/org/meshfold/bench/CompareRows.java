package org.meshfold.bench;

import java.util.Locale;
import org.meshfold.bench.Comparison.Row;

/** The rows of the comparison table, labelled with the data set sizes, in table order. */
final class CompareRows {
    /** Rows of one initial sync. */
    record Initial(Row sync, Row connected, Row wire) {
    }

    /** Peak RSS of both sides over one session. */
    record Rss(Row sender, Row receiver) {
    }

    final Initial large;
    final Row largeScan;
    final Row insertSync;
    final Row insertWire;
    final Row insertRehash;
    final Row latencyP50;
    final Row latencyP95;
    final Rss largeRss;
    final Initial medium;
    final Rss mediumRss;
    final Initial small;
    final Rss smallRss;

    CompareRows(CompareOptions o, Comparison table) {
        String file = Sizes.binary(o.largeBytes()) + " file";
        large = initial(table, file);
        largeScan = table.declare(new Row(file + ":   sender scan+hash throughput", "MiB/s", 0));
        String insert = String.format(Locale.ROOT, "1 MiB insert at offset %,d", o.insertOffset());
        insertSync = table.declare(new Row(insert + ": sync", "s", 2));
        insertWire = table.declare(new Row(insert + ": bytes on the wire", "KiB", 0));
        insertRehash = table.declare(new Row(insert + ":   sender re-hash throughput", "MiB/s", 0));
        latencyP50 = table.declare(new Row("new 1 KiB file visible on the peer: p50", "ms", 0));
        latencyP95 = table.declare(new Row("new 1 KiB file visible on the peer: p95", "ms", 0));
        largeRss = rss(table, file + " session");
        String mediumSet = String.format(Locale.ROOT, "%,d files / %s", o.mediumFiles(), Sizes.binary(o.mediumBytes()));
        medium = initial(table, mediumSet);
        mediumRss = rss(table, mediumSet);
        String smallSet = String.format(Locale.ROOT, "%,d files of 1-4 KiB", o.smallFiles());
        small = initial(table, smallSet);
        smallRss = rss(table, smallSet);
    }

    private static Initial initial(Comparison table, String what) {
        return new Initial(
                table.declare(new Row(what + ": initial sync", "s", 2)),
                table.declare(new Row(what + ":   devices connected after", "s", 2)),
                table.declare(new Row(what + ": bytes on the wire", "MiB", 1)));
    }

    private static Rss rss(Comparison table, String what) {
        return new Rss(table.declare(new Row(what + ": peak RSS sender", "MiB", 0)),
                table.declare(new Row(what + ": peak RSS receiver", "MiB", 0)));
    }
}
