package org.meshfold.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.meshfold.api.ApiKey;
import org.meshfold.api.ApiServer;
import org.meshfold.daemon.TestNode;

class StatusCommandTest extends CommandFixture {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void statusJson_daemonRunning_reportsLiveFiguresFromTheApi() throws Exception {
        TestNode a = keep(new TestNode(base, "a"));
        TestNode b = keep(new TestNode(base, "b"));
        var node = a.start(b);
        ApiServer api = keep(ApiServer.start(a.home, node::snapshot, 0));
        b.start(a);
        TestNode.await("a connected to b", DEADLINE, () -> node.connectedTo(b.id));
        TestNode.await("a measured the round trip and rates", DEADLINE, () -> {
            var d = node.snapshot().devices().get(0);
            return d.rttMillis() != null && d.inBytesPerSecond() != null;
        });

        Run run = meshfold("status", "--json", "--home", a.home.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode status = run.json();
        assertThat(status.get("daemonRunning").asBoolean()).isTrue();
        assertThat(status.get("apiAddress").asText()).isEqualTo("127.0.0.1:" + api.address().getPort());
        assertThat(status.get("deviceId").asText()).isEqualTo(a.id.toString());
        assertThat(status.get("uptimeSeconds").isNumber()).isTrue();
        JsonNode folder = status.get("folders").get(0);
        assertThat(folder.get("id").asText()).isEqualTo(TestNode.FOLDER);
        assertThat(folder.get("state").asText()).isIn("idle", "scanning", "syncing", "waiting");
        JsonNode device = status.get("devices").get(0);
        assertThat(device.get("id").asText()).isEqualTo(b.id.toString());
        assertThat(device.get("connected").asBoolean()).isTrue();
        assertThat(device.get("path").asText()).isEqualTo("lan");
        assertThat(device.get("address").asText()).startsWith("127.0.0.1:");
        assertThat(device.get("lastSeen").asText()).isNotEmpty();
        assertThat(device.get("rttMillis").isNumber()).isTrue();
        assertThat(device.get("rttMillis").asDouble()).isPositive().isLessThan(1000.0);
        assertThat(device.get("inBytesPerSecond").isIntegralNumber()).isTrue();
        assertThat(device.get("outBytesPerSecond").isIntegralNumber()).isTrue();
        assertThat(device.get("bytesIn").asLong()).isPositive();
        assertThat(device.get("bytesOut").asLong()).isPositive();
        // Excellent on loopback, unless a cold JVM made the first round trip slow.
        assertThat(device.get("quality").asText()).isIn("excellent", "good");
        assertThat(device.get("lastActivity").asText()).isNotEmpty();
        assertThat(device.has("reconnectAttempts")).isFalse();

        Run devices = meshfold("devices", "--json", "--home", a.home.toString());
        assertThat(devices.json().get("devices").get(0).get("connected").asBoolean()).isTrue();
        Run text = meshfold("devices", "--home", a.home.toString());
        assertThat(text.out().lines().toList()).hasSize(2);
        assertThat(text.out().lines().toList().get(0)).contains(" QUALITY ").contains(" RTT ").contains(" IN ")
                .contains(" OUT ");
        assertThat(text.out().lines().toList().get(1)).contains(b.id.toString()).containsPattern(" yes +(excellent|good) ")
                .contains(" lan ")
                .contains(" ms ").contains("/s ");
    }

    @Test
    void statusJson_noDaemon_readsTheHome() throws Exception {
        TestNode a = new TestNode(base, "a");
        TestNode b = new TestNode(base, "b");
        Files.writeString(a.folder.resolve("one.txt"), "12345678");
        a.start(b).scanNow().get(20, TimeUnit.SECONDS);
        a.close();

        Run run = meshfold("status", "--json", "--home", a.home.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        JsonNode status = run.json();
        assertThat(status.get("daemonRunning").asBoolean()).isFalse();
        assertThat(status.has("apiAddress")).isFalse();
        assertThat(status.has("uptimeSeconds")).isFalse();
        assertThat(status.get("listenAddress").asText()).isEqualTo("127.0.0.1:0");
        JsonNode folder = status.get("folders").get(0);
        assertThat(folder.get("state").asText()).isEqualTo("stopped");
        assertThat(folder.get("path").asText()).isEqualTo(a.folder.toString());
        assertThat(folder.get("localFiles").asLong()).isEqualTo(1);
        assertThat(folder.get("localBytes").asLong()).isEqualTo(8);
        assertThat(folder.has("inSync")).isFalse();
        JsonNode device = status.get("devices").get(0);
        assertThat(device.get("id").asText()).isEqualTo(b.id.toString());
        assertThat(device.get("connected").asBoolean()).isFalse();

        Run text = meshfold("status", "--home", a.home.toString());
        assertThat(text.out()).contains("daemon:  not running");
        assertThat(text.out().lines().filter(l -> l.startsWith("shared ")).findFirst().orElseThrow())
                .contains("stopped").contains(a.folder.toString());
        Run folders = meshfold("folders", "--json", "--home", a.home.toString());
        assertThat(folders.json().get("folders").get(0).get("id").asText()).isEqualTo(TestNode.FOLDER);
    }

    @Test
    void status_addressFileLeftByACrashedDaemon_saysSoAndReadsTheHome() throws Exception {
        TestNode a = new TestNode(base, "a");
        a.configure();
        ApiKey.loadOrCreate(a.home);
        int closedPort = staleAddressFile(a.home);

        Run run = meshfold("status", "--json", "--home", a.home.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).contains("127.0.0.1:" + closedPort).contains("reading " + a.home + " directly");
        assertThat(run.json().get("daemonRunning").asBoolean()).isFalse();
    }

    @Test
    void status_homeWithoutConfiguration_isInvalidInputNamingInit() {
        Run run = meshfold("status", "--home", base.resolve("empty").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("meshfold init");
    }
}
