package org.meshfold.it.natlab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Drives a {@link UdpProbe} process in a lab host. Calls are synchronous: each sends one command and
 * waits, with a deadline, for its one-line answer. Not thread-safe; one test thread owns a probe.
 */
public final class Probe implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration SLACK = Duration.ofSeconds(10);

    /** A datagram as the probe received it: source address and port, and its token. */
    public record Datagram(String address, int port, String token) {
        public String source() {
            return address + ":" + port;
        }
    }

    private final Host host;
    private final Process process;
    private final PrintWriter commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    private Probe(Host host, Process process) {
        this.host = host;
        this.process = process;
        this.commands = new PrintWriter(process.outputWriter(StandardCharsets.UTF_8), true);
        Thread reader = new Thread(this::readAnswers, "probe-" + host.name());
        reader.setDaemon(true);
        reader.start();
        Thread errors = new Thread(() -> {
            try {
                process.getErrorStream().transferTo(System.err);
            } catch (IOException e) {
                // The probe exited; its stderr has nothing more to say.
            }
        }, "probe-stderr-" + host.name());
        errors.setDaemon(true);
        errors.start();
    }

    static Probe start(Host host) {
        Process p = host.start(javaCommand(UdpProbe.class));
        Probe probe = new Probe(host, p);
        probe.await("ready", STARTUP);
        return probe;
    }

    /** The command that runs {@code main} with this JVM's java and the class's own code location. */
    public static List<String> javaCommand(Class<?> main, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classes;
        try {
            classes = Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new NatLabException("cannot locate the classes of " + main.getName(), e);
        }
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xmx32m", "-XX:-UsePerfData", "-cp", classes, main.getName()));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    public Host host() {
        return host;
    }

    /** Binds a UDP socket to {@code port} (0: any free port) and returns the bound port. */
    public int udpBind(int port) {
        return Integer.parseInt(call("udp-bind " + port, Duration.ZERO)[1]);
    }

    public void udpSend(int localPort, String address, int port, String token) {
        call("udp-send " + localPort + " " + address + " " + port + " " + token, Duration.ZERO);
    }

    /** Waits up to {@code timeout} for the datagram carrying {@code token}, skipping any others. */
    public Optional<Datagram> udpReceive(int localPort, String token, Duration timeout) {
        String[] a = call("udp-recv " + localPort + " " + token + " " + timeout.toMillis(), timeout);
        return a[0].equals("got") ? Optional.of(new Datagram(a[1], Integer.parseInt(a[2]), a[3])) : Optional.empty();
    }

    /** The tokens of every datagram arriving on {@code localPort} within {@code window}. */
    public List<String> udpSeen(int localPort, Duration window) {
        String[] a = call("udp-seen " + localPort + " " + window.toMillis(), window);
        return a.length < 2 || a[1].isEmpty() ? List.of() : List.of(a[1].split(","));
    }

    /** Accepts TCP connections on {@code port}, telling each client its address as seen here. */
    public void tcpListen(int port) {
        call("tcp-listen " + port, Duration.ZERO);
    }

    /** Connects over TCP; returns the client's address:port as the server saw it, or empty on failure. */
    public Optional<String> tcpConnect(String address, int port, Duration timeout) {
        String[] a = call("tcp-connect " + address + " " + port + " " + timeout.toMillis(), timeout.multipliedBy(2));
        return a[0].equals("connected") ? Optional.of(a[1] + ":" + a[2]) : Optional.empty();
    }

    private String[] call(String command, Duration expected) {
        if (!process.isAlive()) {
            throw new NatLabException("the probe in " + host + " has exited with " + process.exitValue());
        }
        commands.println(command);
        String answer = poll(expected.plus(SLACK));
        if (answer == null) {
            throw new NatLabException("the probe in " + host + " did not answer '" + command + "' in time");
        }
        if (answer.startsWith("error")) {
            throw new NatLabException("the probe in " + host + " failed '" + command + "': " + answer);
        }
        return answer.split(" ", -1);
    }

    private void await(String line, Duration timeout) {
        String answer = poll(timeout);
        if (!line.equals(answer)) {
            throw new NatLabException("the probe in " + host + " did not start: expected '" + line + "', got '"
                    + answer + "' (alive: " + process.isAlive() + ")");
        }
    }

    private String poll(Duration timeout) {
        try {
            return answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NatLabException("interrupted waiting for the probe in " + host, e);
        }
    }

    private void readAnswers() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                answers.add(line);
            }
        } catch (IOException e) {
            answers.add("error probe output closed: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        commands.println("quit");
        commands.close();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
