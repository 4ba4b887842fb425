package org.meshfold.it.natlab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A tiny network probe run inside a lab namespace ({@link Probe} starts and drives it). It reads one
 * command per line on stdin and answers each with exactly one line on stdout; it depends on the JDK
 * only, so it runs from the test classes directory alone.
 *
 * <pre>
 * udp-bind PORT                        -> bound PORT          (0 picks a free port)
 * udp-send LOCALPORT IP PORT TOKEN     -> sent
 * udp-recv LOCALPORT TOKEN TIMEOUTMS   -> got IP PORT TOKEN | none OTHER,TOKENS,SEEN
 *      waits for the datagram carrying TOKEN; other datagrams are listed, never returned
 * udp-seen LOCALPORT TIMEOUTMS         -> seen TOKEN,... (everything arriving within TIMEOUTMS)
 * tcp-listen PORT                      -> listening PORT      (each client receives "seen IP PORT")
 * tcp-connect IP PORT TIMEOUTMS        -> connected IP PORT (as seen by the server) | failed REASON
 * </pre>
 */
public final class UdpProbe {
    private final Map<Integer, DatagramSocket> sockets = new HashMap<>();
    private final PrintStream out;

    private UdpProbe(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        UdpProbe probe = new UdpProbe(out);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        out.println("ready");
        for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
            try {
                out.println(probe.handle(line.trim().split(" ")));
            } catch (IOException | RuntimeException e) {
                out.println("error " + e.toString().replace('\n', ' '));
            }
        }
        System.exit(0);
    }

    private String handle(String[] c) throws IOException {
        return switch (c[0]) {
            case "udp-bind" -> {
                DatagramSocket s = new DatagramSocket(new InetSocketAddress(Integer.parseInt(c[1])));
                sockets.put(s.getLocalPort(), s);
                yield "bound " + s.getLocalPort();
            }
            case "udp-send" -> {
                byte[] data = c[4].getBytes(StandardCharsets.UTF_8);
                socket(c[1]).send(new DatagramPacket(data, data.length,
                        new InetSocketAddress(InetAddress.getByName(c[2]), Integer.parseInt(c[3]))));
                yield "sent";
            }
            case "udp-recv" -> receive(socket(c[1]), c[2], Long.parseLong(c[3]));
            case "udp-seen" -> receive(socket(c[1]), null, Long.parseLong(c[2]));
            case "tcp-listen" -> listen(Integer.parseInt(c[1]));
            case "tcp-connect" -> connect(c[1], Integer.parseInt(c[2]), Integer.parseInt(c[3]));
            default -> "error unknown command " + c[0];
        };
    }

    private DatagramSocket socket(String port) {
        DatagramSocket s = sockets.get(Integer.parseInt(port));
        if (s == null) {
            throw new IllegalArgumentException("no socket bound to port " + port + "; send udp-bind first");
        }
        return s;
    }

    /** Waits for {@code token} (or collects everything when it is null) until the deadline. */
    private static String receive(DatagramSocket s, String token, long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        StringBuilder seen = new StringBuilder();
        byte[] buf = new byte[2048];
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return (token == null ? "seen " : "none ") + seen;
            }
            s.setSoTimeout((int) left);
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            }
            String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            if (text.equals(token)) {
                return "got " + p.getAddress().getHostAddress() + " " + p.getPort() + " " + text;
            }
            seen.append(seen.isEmpty() ? "" : ",").append(text);
        }
    }

    private static String listen(int port) throws IOException {
        ServerSocket server = new ServerSocket(port);
        Thread accept = new Thread(() -> {
            while (true) {
                try (Socket client = server.accept()) {
                    client.getOutputStream().write(("seen " + client.getInetAddress().getHostAddress() + " "
                            + client.getPort() + "\n").getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    return;
                }
            }
        }, "tcp-listen-" + port);
        accept.setDaemon(true);
        accept.start();
        return "listening " + server.getLocalPort();
    }

    private static String connect(String host, int port, int timeoutMillis) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(host), port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            return line != null && line.startsWith("seen ") ? "connected " + line.substring(5) : "failed no greeting";
        } catch (IOException e) {
            return "failed " + e.toString().replace('\n', ' ');
        }
    }
}
