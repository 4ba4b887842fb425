package org.meshfold.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.meshfold.api.ControlMessages.AddFolderRequest;
import org.meshfold.api.ControlMessages.FolderAnswer;
import org.meshfold.api.ControlMessages.InviteAnswer;
import org.meshfold.api.ControlMessages.InviteRequest;
import org.meshfold.api.ControlMessages.JoinAnswer;
import org.meshfold.api.ControlMessages.JoinRequest;
import org.meshfold.daemon.NodeStatus;
import org.meshfold.identity.DeviceId;

/**
 * Talks to the daemon of a home through its REST API, found by the home's {@code api.address}
 * and authenticated with its {@code api.key}. Used by the CLI; thread-safe.
 */
public final class ApiClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** Pairing dials every address of the code and waits for the inviter: allow for its own timeouts. */
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(120);

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

    /** Opens an invite to a folder (id or absolute path) on the daemon ({@code POST /rest/invites}). */
    public InviteAnswer invite(String folder, Duration ttl) throws DaemonUnreachableException, ApiRequestException {
        String body = Json.write(new InviteRequest(folder, ttl.toSeconds()));
        return answer(send(request("/rest/invites", REQUEST_TIMEOUT).POST(BodyPublishers.ofString(body))), InviteAnswer.class);
    }

    /** Has the daemon join a folder with an invite code, into {@code folder} ({@code POST /rest/join}). */
    public JoinAnswer join(String code, Path folder) throws DaemonUnreachableException, ApiRequestException {
        String body = Json.write(new JoinRequest(code, folder.toAbsolutePath().normalize().toString()));
        return answer(send(request("/rest/join", JOIN_TIMEOUT).POST(BodyPublishers.ofString(body))), JoinAnswer.class);
    }

    /**
     * Adds a folder of this device's own at {@code folder} to the daemon, which starts syncing it
     * at once ({@code POST /rest/folders}); the folder already at that path if there is one.
     *
     * @param label the folder's label, or null for the directory's name
     * @param id the folder's id, or null for a new random one
     */
    public FolderAnswer addFolder(Path folder, String label, String id) throws DaemonUnreachableException,
            ApiRequestException {
        String body = Json.write(new AddFolderRequest(folder.toAbsolutePath().normalize().toString(), label, id));
        return answer(send(request("/rest/folders", REQUEST_TIMEOUT).POST(BodyPublishers.ofString(body))), FolderAnswer.class);
    }

    /**
     * Revokes a device on the daemon ({@code DELETE /rest/devices/ID}).
     *
     * @return false if the daemon does not know the device
     */
    public boolean removeDevice(DeviceId device) throws DaemonUnreachableException, ApiRequestException {
        HttpResponse<String> response = send(request("/rest/devices/" + device, REQUEST_TIMEOUT).DELETE());
        if (response.statusCode() == 404) {
            return false;
        }
        answer(response, Void.class);
        return true;
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create("http://" + hostPort + path))
                .timeout(timeout)
                .header("X-API-Key", key.text())
                .header("Content-Type", "application/json");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws DaemonUnreachableException {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DaemonUnreachableException("no daemon answers at " + hostPort + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DaemonUnreachableException("interrupted while asking the daemon at " + hostPort, e);
        }
        if (response.statusCode() == 401) {
            throw new DaemonUnreachableException("the daemon at " + hostPort + " refused this home's API key: "
                    + response.body(), null);
        }
        return response;
    }

    /** The body of a 2xx answer as {@code type} (null for no body), or the daemon's error. */
    private <T> T answer(HttpResponse<String> response, Class<T> type) throws DaemonUnreachableException,
            ApiRequestException {
        int status = response.statusCode();
        try {
            if (status / 100 != 2) {
                ControlMessages.Error error = Json.read(response.body(), ControlMessages.Error.class);
                throw new ApiRequestException(status, error.error(), error.reason());
            }
            return type == Void.class ? null : Json.read(response.body(), type);
        } catch (IOException e) {
            throw new DaemonUnreachableException("the daemon at " + hostPort + " answered " + status
                    + " with a body this version cannot read: " + response.body(), e);
        }
    }

    /** The body of {@code GET path}, if the daemon answers 200. */
    public String get(String path) throws DaemonUnreachableException {
        HttpResponse<String> response = send(request(path, REQUEST_TIMEOUT).GET());
        if (response.statusCode() != 200) {
            throw new DaemonUnreachableException("the daemon at " + hostPort + " answered " + response.statusCode()
                    + " to " + path + ": " + response.body(), null);
        }
        return response.body();
    }
}
