package org.meshfold.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.meshfold.daemon.NodeStatus;

/**
 * Talks to the daemon of a home through its REST API, found by the home's {@code api.address}
 * and authenticated with its {@code api.key}. Used by the CLI; thread-safe.
 */
public final class ApiClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http;
    private final String hostPort;
    private final ApiKey key;

    private ApiClient(String hostPort, ApiKey key) {
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        this.hostPort = hostPort;
        this.key = key;
    }

    /** A client for the daemon of {@code home}, if the home names one (it may still not answer). */
    public static Optional<ApiClient> forHome(Path home) throws IOException {
        Path file = home.resolve(ApiServer.ADDRESS_FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String address = Files.readString(file).trim();
        if (!address.matches("127\\.0\\.0\\.1:\\d{1,5}")) {
            throw new IOException(file + " holds '" + address + "', not 127.0.0.1:PORT: delete it (the daemon writes it again)");
        }
        Optional<ApiKey> key = ApiKey.load(home);
        return key.map(k -> new ApiClient(address, k));
    }

    /** {@code 127.0.0.1:PORT} */
    public String address() {
        return hostPort;
    }

    /** The daemon's status ({@code GET /rest/status}). */
    public NodeStatus status() throws DaemonUnreachableException {
        try {
            return Json.read(get("/rest/status"), NodeStatus.class);
        } catch (DaemonUnreachableException e) {
            throw e;
        } catch (IOException e) {
            throw new DaemonUnreachableException("the daemon at " + hostPort + " sent a status this version cannot read: "
                    + e.getMessage(), e);
        }
    }

    /** The body of {@code GET path}, if the daemon answers 200. */
    public String get(String path) throws DaemonUnreachableException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + hostPort + path))
                .timeout(REQUEST_TIMEOUT)
                .header("X-API-Key", key.text())
                .GET()
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DaemonUnreachableException("no daemon answers at " + hostPort + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DaemonUnreachableException("interrupted while asking the daemon at " + hostPort, e);
        }
        if (response.statusCode() != 200) {
            throw new DaemonUnreachableException("the daemon at " + hostPort + " answered " + response.statusCode()
                    + " to " + path + ": " + response.body(), null);
        }
        return response.body();
    }
}
