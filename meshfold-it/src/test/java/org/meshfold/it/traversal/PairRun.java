package org.meshfold.it.traversal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.meshfold.config.DiscoveryConfig;
import org.meshfold.it.Await;
import org.meshfold.it.natlab.Host;

/**
 * Two lab devices that pair and sync a folder as a user does it with the CLI: each home is told
 * the rendezvous server ({@code config set rendezvous}) first; the inviter's daemon runs and it
 * makes the code ({@code invite FOLDER}); the joiner, a new device without a daemon (one starts only
 * with a folder to sync), runs {@code join CODE FOLDER} and then {@code meshfold run}; then a file
 * written on each device must appear on the other. Every wait has a deadline, and a failed step
 * names itself in the outcome and prints the end of both daemons' logs.
 *
 * <p>Figures: <em>pairing</em> is how long {@code join} took; <em>connect</em> runs from the start
 * of the joiner's daemon (its JVM start included) to the later of the two {@code connectedSince}
 * instants the devices report for each other when both first report the connection (one clock:
 * every process runs on this machine). Paths are read from {@code status --json} once the files
 * are synced, after waiting up to {@link #SETTLE} for an upgrade (relayed to direct) if they are
 * not yet expected ones.
 */
final class PairRun implements AutoCloseable {
    static final Duration SESSION = Duration.ofSeconds(60);
    static final Duration JOIN = Duration.ofSeconds(150);
    static final Duration CONNECTED = Duration.ofSeconds(60);
    static final Duration SYNCED = Duration.ofSeconds(60);
    static final Duration SETTLE = Duration.ofSeconds(20);
    /** Between two status polls: each is a command in both devices' shells and a request to their daemons. */
    static final Duration POLL = Duration.ofMillis(250);
    private static final int LOG_LINES = 40;

    /** What one pair did; {@code failure} names the step that failed and why (null if none did). */
    record Outcome(String label, Set<String> expected, String pathAtoB, String pathBtoA, String transport,
                   Long pairMillis, Long connectMillis, boolean synced, String failure) {
        boolean pathExpected() {
            return pathAtoB != null && expected.contains(pathAtoB) && pathBtoA != null && expected.contains(pathBtoA);
        }
    }

    final LabDevice inviter;
    final LabDevice joiner;
    private final String label;
    private final Set<String> expected;
    private final String rendezvousUrl;
    private String step = "preparing";
    private Long pairMillis;
    private Long connectMillis;
    private boolean synced;
    private LabDevice.PeerView inviterView;
    private LabDevice.PeerView joinerView;

    /** A pair named {@code label}: the inviter on {@code inviterHost}, the joiner on {@code joinerHost}. */
    PairRun(String label, Host inviterHost, Host joinerHost, Set<String> expected, String rendezvousUrl, Path dir) {
        this.label = label;
        this.expected = Set.copyOf(expected);
        this.rendezvousUrl = rendezvousUrl;
        this.inviter = new LabDevice("a", inviterHost, dir);
        this.joiner = new LabDevice("b", joinerHost, dir);
    }

    /** The whole flow; never throws for a failed step, which the outcome names instead. */
    Outcome run() {
        try {
            prepare();
            inviter.start();
            awaitRendezvousSession(inviter);
            pair();
            Instant started = Instant.now();
            joiner.start();
            Files.writeString(joiner.file("from-b.txt"), content(joiner));
            awaitConnected(started);
            awaitSynced();
            settlePaths();
        } catch (AssertionError | RuntimeException | IOException e) {
            return failed(e);
        }
        return outcome(null);
    }

    /**
     * Configures both homes (LAN discovery off; the rendezvous server through the CLI), adds the
     * folder on the inviter and writes its file there.
     */
    void prepare() throws IOException {
        step = "preparing the homes";
        for (LabDevice d : new LabDevice[] {inviter, joiner}) {
            d.configure(c -> c.withDiscovery(DiscoveryConfig.OFF));
            d.cli("config", "set", "rendezvous", rendezvousUrl).requireSuccess();
        }
        inviter.cli("init", inviter.folder().toString(), "--label", "shared").requireSuccess();
        Files.writeString(inviter.file("from-a.txt"), content(inviter));
    }

    void awaitRendezvousSession(LabDevice device) {
        step = "waiting for " + device.name() + "'s rendezvous session";
        Await.until(device.name() + " to report an open rendezvous session", SESSION, POLL,
                device::rendezvousConnected, () -> "");
    }

    /**
     * Invite on the inviter's daemon, then {@code join} on the joiner with no daemon running, as on
     * a new device (a daemon starts only with a folder to sync).
     */
    void pair() {
        step = "inviting";
        String code = inviter.cli("invite", inviter.folder().toString(), "--ttl", "10m", "--png",
                inviter.home().resolve("invite.png").toString()).requireSuccess().line("code:");
        step = "joining";
        Instant started = Instant.now();
        ShellClient.Result join = joiner.cli(JOIN, "join", code, joiner.folder().toString());
        pairMillis = Duration.between(started, Instant.now()).toMillis();
        join.requireSuccess();
    }

    /** Waits for both devices to report the connection; connect time counts from {@code since}. */
    void awaitConnected(Instant since) {
        step = "waiting for the connection";
        joiner.requireRunning();
        Await.until("both devices to report each other connected", CONNECTED, POLL, this::bothConnected,
                () -> "(" + views() + ")");
        Instant later = inviterView.connectedSince() == null || joinerView.connectedSince() == null ? Instant.now()
                : inviterView.connectedSince().isAfter(joinerView.connectedSince()) ? inviterView.connectedSince()
                : joinerView.connectedSince();
        connectMillis = Math.max(0, Duration.between(since, later).toMillis());
    }

    void awaitSynced() {
        step = "waiting for the files";
        Await.until("each device to receive the other's file", SYNCED, POLL,
                () -> hasContent(joiner.file("from-a.txt"), content(inviter))
                        && hasContent(inviter.file("from-b.txt"), content(joiner)),
                () -> "(" + views() + ")");
        synced = true;
    }

    /** Reads both paths, waiting up to {@link #SETTLE} for them to become expected (an upgrade to direct). */
    void settlePaths() {
        step = "reading the paths";
        try {
            Await.until("both paths to be one of " + expected, SETTLE, POLL,
                    () -> bothConnected() && expected.contains(inviterView.path()) && expected.contains(joinerView.path()),
                    () -> "");
        } catch (AssertionError notExpected) {
            // The outcome shows the path reached; the matrix test judges it.
        }
    }

    private boolean bothConnected() {
        inviterView = inviter.peer(joiner.id()).orElse(null);
        joinerView = joiner.peer(inviter.id()).orElse(null);
        return inviterView != null && inviterView.connected() && joinerView != null && joinerView.connected();
    }

    String views() {
        return "a sees b: " + Optional.ofNullable(inviterView).map(Object::toString).orElse("nothing")
                + "; b sees a: " + Optional.ofNullable(joinerView).map(Object::toString).orElse("nothing");
    }

    Outcome outcome(String failure) {
        String transport = inviterView != null && inviterView.connected() ? inviterView.transport() : null;
        return new Outcome(label, expected, path(inviterView), path(joinerView), transport, pairMillis, connectMillis,
                synced, failure);
    }

    private Outcome failed(Throwable e) {
        String message = String.valueOf(e.getMessage()).strip();
        String first = message.lines().findFirst().orElse(e.getClass().getSimpleName());
        String failure = step + ": " + (first.length() > 300 ? first.substring(0, 300) + "…" : first);
        System.out.println("=== " + label + " failed while " + failure + "\n" + message + "\n"
                + inviter.logTails(LOG_LINES) + "\n" + joiner.logTails(LOG_LINES));
        return outcome(failure);
    }

    private static String path(LabDevice.PeerView view) {
        return view != null && view.connected() ? view.path() : null;
    }

    private String content(LabDevice d) {
        return "written on " + d.name() + " (" + d.host() + ") for " + label + "\n";
    }

    static boolean hasContent(Path file, String expected) {
        try {
            return Files.isRegularFile(file) && Files.readString(file).equals(expected);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        inviter.close();
        joiner.close();
    }
}
