package org.meshfold.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.Optional;

/**
 * A TURN server (RFC 8656; coturn) a device may relay through: {@code turn:HOST:PORT}, optionally
 * with {@code ?transport=udp} or {@code ?transport=tcp} (RFC 7065), and its long-term credentials.
 *
 * @param user     long-term user name; empty together with {@code password} when the credentials
 *                 come from a rendezvous server instead
 * @param password long-term password; never shown by {@link #toString}
 */
public record TurnServer(String host, int port, Optional<String> transport, String user, String password) {
    public static final String SCHEME = "turn";

    public TurnServer {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new ConfigException("TURN URL needs a host and a port in 1-65535, got " + host + ":" + port);
        }
        transport.filter(t -> !t.equals("udp") && !t.equals("tcp")).ifPresent(t -> {
            throw new ConfigException("TURN transport must be udp or tcp, got '" + t + "'");
        });
        if (user.isEmpty() != password.isEmpty()) {
            throw new ConfigException("TURN credentials need both a user and a password (or neither, to take "
                    + "time-limited ones from a rendezvous server)");
        }
        if ((user + password).chars().anyMatch(Character::isISOControl)) {
            throw new ConfigException("TURN user and password must not contain control characters");
        }
    }

    /**
     * Parses {@code turn:HOST:PORT[?transport=udp|tcp]} (IPv6 hosts in brackets).
     *
     * @throws ConfigException saying what is wrong with {@code url}
     */
    public static TurnServer parse(String url, String user, String password) {
        String text = url.trim();
        if (!text.startsWith(SCHEME + ":")) {
            throw new ConfigException("not a TURN URL: '" + url + "' (expected turn:HOST:PORT, optionally "
                    + "?transport=udp or ?transport=tcp)");
        }
        URI uri;
        try {
            // turn: URIs are opaque (no "//"); parse the rest as an authority.
            uri = new URI("turn://" + text.substring(SCHEME.length() + 1));
        } catch (URISyntaxException e) {
            throw new ConfigException("not a TURN URL: '" + url + "' (" + e.getReason() + ")", e);
        }
        if (uri.getHost() == null || uri.getPort() < 0 || (uri.getPath() != null && !uri.getPath().isEmpty())) {
            throw new ConfigException("not a TURN URL: '" + url + "' (expected turn:HOST:PORT)");
        }
        Optional<String> transport = Optional.empty();
        if (uri.getQuery() != null) {
            if (!uri.getQuery().startsWith("transport=")) {
                throw new ConfigException("TURN URL '" + url + "': the only parameter is transport=udp|tcp");
            }
            transport = Optional.of(uri.getQuery().substring("transport=".length()));
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return new TurnServer(host, uri.getPort(), transport, user, password);
    }

    /** The URL, without credentials. */
    public String url() {
        return SCHEME + ":" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port
                + transport.map(t -> "?transport=" + t).orElse("");
    }

    public boolean hasCredentials() {
        return !user.isEmpty();
    }

    @Override
    public String toString() {
        return url() + (hasCredentials() ? " (user " + user + ")" : "");
    }
}
