package org.meshfold.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.discovery.rendezvous.RendezvousClient;
import org.meshfold.discovery.rendezvous.RendezvousListener;
import org.meshfold.discovery.rendezvous.RendezvousUrl;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.transport.TcpTlsTransport;

/** {@code meshfold rendezvous} as a child process, as an operator runs it. */
class RendezvousCommandTest {
    @TempDir
    Path base;

    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void rendezvous_printsItsUrlAndServesDevicesUntilTerminated() throws Exception {
        Path home = base.resolve("server-home");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "org.meshfold.cli.Main", "rendezvous", "--listen", "127.0.0.1:0", "--home", home.toString()))
                .redirectError(base.resolve("stderr.txt").toFile())
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));

        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(30, TimeUnit.SECONDS);

        assertThat(line).as("stderr: %s", Files.readString(base.resolve("stderr.txt"))).startsWith("rendezvous url: mfr://127.0.0.1:");
        RendezvousUrl url = RendezvousUrl.parse(line.substring("rendezvous url: ".length()));
        assertThat(url.server()).isEqualTo(DeviceIdentity.loadOrCreate(home.resolve("rendezvous")).deviceId());
        DeviceIdentity device = DeviceIdentity.loadOrCreate(base.resolve("device"));
        try (TcpTlsTransport transport = TcpTlsTransport.create(device, d -> false);
                RendezvousClient client = RendezvousClient.connect(transport, device, url, Clock.systemUTC(),
                        new RendezvousListener() { }).get(10, TimeUnit.SECONDS)) {
            assertThat(client.observedAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        }

        process.destroy();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("exit status after SIGTERM").isEqualTo(128 + 15);
    }
}
