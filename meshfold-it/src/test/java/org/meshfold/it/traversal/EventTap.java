package org.meshfold.it.traversal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.meshfold.api.ApiKey;
import org.meshfold.api.ApiServer;

/**
 * Follows a daemon's server-sent events ({@code /rest/events}) from inside its lab namespace and
 * prints every line of the stream to standard output, each prefixed with the instant it arrived
 * ({@code <ISO-8601> <line>}), until the daemon closes the stream. {@link LabEvents} reads them.
 */
public final class EventTap {
    private EventTap() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path home = Path.of(args[0]);
        String address = Files.readString(home.resolve(ApiServer.ADDRESS_FILE)).strip();
        String key = ApiKey.load(home).orElseThrow(() -> new IOException("no API key in " + home)).text();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address + "/rest/events"))
                .header("X-API-Key", key).build();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IOException("GET /rest/events on " + address + " answered " + response.statusCode());
        }
        try (Stream<String> lines = response.body()) {
            lines.forEach(line -> System.out.println(Instant.now() + " " + line));
        }
    }
}
