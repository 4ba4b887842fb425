package org.meshfold.it.traversal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines for JVMs the lab runs in its namespaces, with the test run's classpath. */
final class LabJava {
    private LabJava() {
    }

    /**
     * {@code java ... org.meshfold.cli.Main ARGS}: the launcher's flags ({@code ./meshfold}), plus
     * C1 only, which halves the CPU of a JVM start on a small machine where many daemons start at
     * once and move only small files.
     */
    static List<String> meshfold(String... args) {
        return meshfold(true, args);
    }

    /** As {@link #meshfold}, with the launcher's flags only (the full JIT): for daemons that move large files. */
    static List<String> meshfoldFullJit(String... args) {
        return meshfold(false, args);
    }

    private static List<String> meshfold(boolean c1Only, String... args) {
        List<String> cmd = java(c1Only);
        cmd.addAll(List.of("-XX:+UseSerialGC", "-Xms16m", "-Xmx1g", "org.meshfold.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** {@code java ... EventTap HOME}: streams a daemon's events to standard output. */
    static List<String> eventTap(Path home) {
        List<String> cmd = java(true);
        cmd.addAll(List.of("-XX:+UseSerialGC", "-Xmx64m", EventTap.class.getName(), home.toString()));
        return cmd;
    }

    /** {@code java ... CliShell LOG}: a small heap is enough for one command at a time. */
    static List<String> shell(Path log) {
        List<String> cmd = java(true);
        cmd.addAll(List.of("-XX:+UseSerialGC", "-Xmx128m", CliShell.class.getName(), log.toString()));
        return cmd;
    }

    /** {@code java ... ImpairingRelay ...}: see {@link ImpairingRelay} for the arguments. */
    static List<String> impairingRelay(String listen, int port, String a, String b, double loss, long delayMillis,
                                       long seed) {
        List<String> cmd = java(false);
        cmd.addAll(List.of("-XX:+UseSerialGC", "-Xmx256m", ImpairingRelay.class.getName(), listen, String.valueOf(port),
                a, b, String.valueOf(loss), String.valueOf(delayMillis), String.valueOf(seed)));
        return cmd;
    }

    private static List<String> java(boolean c1Only) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:-UsePerfData"));
        if (c1Only) {
            cmd.add("-XX:TieredStopAtLevel=1");
        }
        if (Runtime.version().feature() >= 24) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
        return cmd;
    }
}
