package org.meshfold.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.daemon.TestNode;

class ApiServerTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Pattern SAMPLE = Pattern.compile("([a-z_]+)(\\{[^}]*\\})? (-?[0-9.]+)");

    @TempDir
    Path base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T keep(T resource) {
        open.add(resource);
        return resource;
    }

    private ApiServer startDevice(TestNode device, TestNode... peers) throws IOException {
        var node = device.start(peers);
        return keep(ApiServer.start(device.home, node::snapshot, 0));
    }

    private HttpResponse<String> get(ApiServer api, String path, String header, String value) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.url() + path)).timeout(DEADLINE);
        if (header != null) {
            request.header(header, value);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void request_withoutKey_is401WithJsonError() throws Exception {
        ApiServer api = startDevice(keep(new TestNode(base, "a")));

        for (String path : List.of("/rest/status", "/rest/events", "/metrics")) {
            HttpResponse<String> response = get(api, path, null, null);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(Json.mapper().readTree(response.body()).get("error").asText()).contains("X-API-Key");
        }
    }

    @Test
    void request_withWrongKey_is401() throws Exception {
        ApiServer api = startDevice(keep(new TestNode(base, "a")));
        String wrong = api.key().text().substring(1) + "x";

        assertThat(get(api, "/rest/status", "X-API-Key", wrong).statusCode()).isEqualTo(401);
        assertThat(get(api, "/rest/status", "Authorization", "Bearer " + wrong).statusCode()).isEqualTo(401);
        assertThat(get(api, "/rest/status", "X-API-Key", "").statusCode()).isEqualTo(401);
    }

    @Test
    void status_withKey_reportsDeviceFoldersAndDevices() throws Exception {
        TestNode a = keep(new TestNode(base, "a"));
        TestNode b = new TestNode(base, "b");
        Files.writeString(a.folder.resolve("hello.txt"), "hello");
        ApiServer api = startDevice(a, b);
        a.node().scanNow().get(20, TimeUnit.SECONDS);

        HttpResponse<String> response = get(api, "/rest/status", "X-API-Key", api.key().text());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode status = Json.mapper().readTree(response.body());
        assertThat(status.get("deviceId").asText()).isEqualTo(a.id.toString());
        assertThat(status.get("deviceName").asText()).isEqualTo("a");
        assertThat(status.get("daemonRunning").asBoolean()).isTrue();
        assertThat(status.get("listenAddress").asText()).isEqualTo("127.0.0.1:" + a.node().listenAddress().getPort());
        assertThat(status.get("apiAddress").asText()).isEqualTo("127.0.0.1:" + api.address().getPort());
        assertThat(status.get("uptimeSeconds").asLong()).isGreaterThanOrEqualTo(0);
        JsonNode folder = status.get("folders").get(0);
        assertThat(folder.get("id").asText()).isEqualTo(TestNode.FOLDER);
        assertThat(folder.get("label").asText()).isEqualTo(TestNode.FOLDER + "-label");
        assertThat(folder.get("path").asText()).isEqualTo(a.folder.toString());
        assertThat(folder.get("state").asText()).isIn("idle", "scanning", "syncing", "waiting");
        assertThat(folder.get("localFiles").asLong()).isEqualTo(1);
        assertThat(folder.get("localBytes").asLong()).isEqualTo(5);
        for (String field : List.of("inSync", "needFiles", "percentComplete", "connectedDevices", "bytesDownloaded",
                "bytesServed", "filesPulled", "conflicts")) {
            assertThat(folder.has(field)).as(field).isTrue();
        }
        JsonNode device = status.get("devices").get(0);
        assertThat(device.get("id").asText()).isEqualTo(b.id.toString());
        assertThat(device.get("name").asText()).isEqualTo("b");
        assertThat(device.get("connected").asBoolean()).isFalse();
        assertThat(device.has("path")).isFalse();
        assertThat(device.get("folders").get(0).asText()).isEqualTo(TestNode.FOLDER);

        JsonNode folders = Json.mapper().readTree(get(api, "/rest/folders", "X-API-Key", api.key().text()).body());
        assertThat(folders.get("folders").get(0).get("id").asText()).isEqualTo(TestNode.FOLDER);
        JsonNode devices = Json.mapper().readTree(get(api, "/rest/devices", "Authorization", "Bearer " + api.key().text()).body());
        assertThat(devices.get("devices").get(0).get("id").asText()).isEqualTo(b.id.toString());
    }

    @Test
    void metrics_withKey_isPrometheusText() throws Exception {
        TestNode a = keep(new TestNode(base, "a"));
        ApiServer api = startDevice(a, new TestNode(base, "b"));

        HttpResponse<String> response = get(api, "/metrics", "Authorization", "Bearer " + api.key().text());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        List<String> names = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (line.startsWith("#")) {
                assertThat(line).matches("# (HELP|TYPE) [a-z_]+ .+");
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            names.add(m.group(1) + (m.group(2) == null ? "" : m.group(2)) + " " + m.group(3));
        }
        assertThat(names).contains("meshfold_up 1",
                "meshfold_folder_in_sync{folder=\"shared\"} 1",
                "meshfold_folder_bytes_downloaded_total{folder=\"shared\"} 0",
                "meshfold_folder_bytes_served_total{folder=\"shared\"} 0",
                "meshfold_folder_files_pulled_total{folder=\"shared\"} 0",
                "meshfold_folder_conflicts_total{folder=\"shared\"} 0",
                "meshfold_device_connected{device=\"" + new TestNode(base, "b").id + "\",name=\"b\"} 0");
    }

    @Test
    void events_secondDeviceConnects_streamsDeviceConnected() throws Exception {
        TestNode a = keep(new TestNode(base, "a"));
        TestNode b = keep(new TestNode(base, "b"));
        ApiServer api = startDevice(a, b);
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(api.url() + "/rest/events"))
                .header("X-API-Key", api.key().text()).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                response.body().forEach(lines::add);
            } catch (UncheckedIOException e) {
                // The stream ends this way when the test is over and the reader is interrupted.
                lines.add("closed: " + e.getMessage());
            }
        });
        keep(reader::interrupt);
        awaitLine(lines, ": connected");

        b.start(a);

        awaitLine(lines, "event: device-connected");
        JsonNode data = Json.mapper().readTree(awaitLine(lines, "data: ").substring("data: ".length()));
        assertThat(data.get("device").asText()).isEqualTo(b.id.toString());
        assertThat(data.get("name").asText()).isEqualTo("b");
        assertThat(data.get("path").asText()).isEqualTo("lan");
        assertThat(data.get("address").asText()).startsWith("127.0.0.1:");

        b.close();

        awaitLine(lines, "event: device-disconnected");

        b.start(a);

        awaitLine(lines, "event: device-reconnected");
        JsonNode back = Json.mapper().readTree(awaitLine(lines, "data: ").substring("data: ".length()));
        assertThat(back.get("device").asText()).isEqualTo(b.id.toString());
        assertThat(back.get("downtimeMillis").asLong()).isNotNegative();
        assertThat(back.get("path").asText()).isEqualTo("lan");
    }

    private static String awaitLine(BlockingQueue<String> lines, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        List<String> seen = new ArrayList<>();
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no line starting with '" + prefix + "' within " + DEADLINE + "; saw " + seen);
            }
            if (line.startsWith(prefix)) {
                return line;
            }
            seen.add(line);
        }
    }

    @Test
    void start_preferredPortTaken_listensOnAnotherPortAndWritesIt() throws Exception {
        TestNode a = keep(new TestNode(base, "a"));
        var node = a.start();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ApiServer api = keep(ApiServer.start(a.home, node::snapshot, taken.getLocalPort()));

            assertThat(api.address().getPort()).isNotEqualTo(taken.getLocalPort()).isPositive();
            assertThat(Files.readString(a.home.resolve(ApiServer.ADDRESS_FILE)).trim())
                    .isEqualTo("127.0.0.1:" + api.address().getPort());
            assertThat(get(api, "/rest/status", "X-API-Key", api.key().text()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void close_removesAddressFile_keyFileIsOwnerOnlyAndKept() throws Exception {
        TestNode a = keep(new TestNode(base, "a"));
        var node = a.start();
        ApiServer api = ApiServer.start(a.home, node::snapshot, 0);
        String key = api.key().text();
        Path keyFile = a.home.resolve(ApiKey.FILE);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(key).matches("[A-Za-z0-9_-]{43}");
        api.close();

        assertThat(a.home.resolve(ApiServer.ADDRESS_FILE)).doesNotExist();
        ApiServer again = keep(ApiServer.start(a.home, node::snapshot, 0));
        assertThat(again.key().text()).isEqualTo(key);
    }
}
