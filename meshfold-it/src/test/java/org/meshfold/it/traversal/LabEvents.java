package org.meshfold.it.traversal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.meshfold.it.Await;

/**
 * A device's server-sent events as an {@link EventTap} in its namespace receives them, kept in
 * {@link LabDevice#eventLog()}: every event from the moment {@link #follow} returns (the daemon
 * has taken its baseline by then), with the instant it arrived.
 */
final class LabEvents implements AutoCloseable {
    private static final Duration SUBSCRIBED = Duration.ofSeconds(30);
    private static final String CONNECTED = ": connected";

    /** One event: its type ({@code device-path-changed}, …), its JSON data, when the tap received it. */
    record Event(Instant at, String type, String data) {
    }

    private final LabDevice device;
    private final Process tap;

    private LabEvents(LabDevice device, Process tap) {
        this.device = device;
        this.tap = tap;
    }

    /** Subscribes to {@code device}'s running daemon; returns once the stream is open. */
    static LabEvents follow(LabDevice device) {
        device.requireRunning();
        LabEvents events = new LabEvents(device, device.host().start(LabJava.eventTap(device.home()),
                device.eventLog()));
        try {
            Await.until(device.name() + "'s event stream to open", SUBSCRIBED, PairRun.POLL, () -> {
                if (!events.tap.isAlive()) {
                    throw new AssertionError(device.name() + "'s event tap exited:\n" + LabLogs.tail(device.eventLog(), 20));
                }
                return events.lines().stream().anyMatch(l -> l.endsWith(" " + CONNECTED));
            }, () -> LabLogs.tail(device.eventLog(), 20));
        } catch (RuntimeException | Error e) {
            events.close();
            throw e;
        }
        return events;
    }

    /** Every event received so far, oldest first. */
    List<Event> events() {
        List<Event> out = new ArrayList<>();
        String type = null;
        for (String line : lines()) {
            int space = line.indexOf(' ');
            if (space < 0) {
                continue;
            }
            String text = line.substring(space + 1);
            if (text.startsWith("event: ")) {
                type = text.substring("event: ".length());
            } else if (text.startsWith("data: ") && type != null) {
                out.add(new Event(Instant.parse(line.substring(0, space)), type, text.substring("data: ".length())));
                type = null;
            }
        }
        return out;
    }

    /** The events of the given types, oldest first. */
    List<Event> ofType(String... types) {
        List<String> wanted = List.of(types);
        return events().stream().filter(e -> wanted.contains(e.type())).toList();
    }

    private List<String> lines() {
        try {
            return Files.exists(device.eventLog())
                    ? new String(Files.readAllBytes(device.eventLog()), StandardCharsets.UTF_8).lines().toList()
                    : List.of();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + device.eventLog(), e);
        }
    }

    @Override
    public void close() {
        tap.destroy();
    }
}
