package org.meshfold.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.config.ConfigFile;
import org.meshfold.config.DiscoveryConfig;

/**
 * The whole product as a new user runs it, through the {@code ./meshfold} launcher: two homes
 * on one machine, {@code init} and {@code invite} on A, {@code join} on B with the printed code,
 * {@code run} on both; a 200 MiB mixed tree appears on B byte for byte, and {@code status --json}
 * on both shows the other device connected and the folder in sync.
 */
class LauncherEndToEndTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path base;

    @Test
    void initInviteJoinRun_twoHomes_treeArrivesAndStatusShowsInSync() throws Exception {
        Path homeA = base.resolve("a-home");
        Path homeB = base.resolve("b-home");
        Path folderA = base.resolve("a-folder");
        Path folderB = base.resolve("b-folder");
        writeMixedTree(folderA);

        assertThat(run("init", folderA.toString(), "--home", homeA.toString()).waitFor()).isZero();
        // Keep every connection on loopback: tests never send to the machine's real interfaces.
        int portA = freePort();
        ConfigFile.save(homeA, ConfigFile.load(homeA).withListen(new InetSocketAddress("127.0.0.1", portA))
                .withDiscovery(DiscoveryConfig.OFF));
        Path png = base.resolve("invite.png");
        Process invite = run("invite", folderA.toString(), "--png", png.toString(), "--home", homeA.toString());
        String code = readLine(invite, "code: ");

        Process join = run("join", code, folderB.toString(), "--home", homeB.toString());
        assertThat(join.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(join.exitValue()).isZero();
        assertThat(invite.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(invite.exitValue()).isZero();
        assertThat(decodeQr(png)).isEqualTo(code);
        ConfigFile.save(homeB, ConfigFile.load(homeB).withListen(new InetSocketAddress("127.0.0.1", freePort()))
                .withDiscovery(DiscoveryConfig.OFF));

        List<Process> daemons = new ArrayList<>();
        try {
            daemons.add(run("run", "--home", homeA.toString()));
            daemons.add(run("run", "--home", homeB.toString()));
            Await.until("B to hold A's tree", Duration.ofMinutes(4),
                    () -> Cluster.quick(folderB).equals(Cluster.quick(folderA)));
            assertThat(TreeSnapshot.of(folderB)).isEqualTo(TreeSnapshot.of(folderA));
            Await.until("both to report the other connected and the folder in sync", Duration.ofMinutes(1),
                    () -> connectedAndInSync(homeA) && connectedAndInSync(homeB));
        } finally {
            for (Process d : daemons) {
                d.destroy();
                d.waitFor(30, TimeUnit.SECONDS);
                d.destroyForcibly();
            }
        }
    }

    private boolean connectedAndInSync(Path home) {
        try {
            Process p = run("status", "--json", "--home", home.toString());
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(1, TimeUnit.MINUTES) || p.exitValue() != 0) {
                return false;
            }
            JsonNode status = JSON.readTree(out);
            JsonNode device = status.path("devices").path(0);
            JsonNode folder = status.path("folders").path(0);
            return status.path("daemonRunning").asBoolean() && device.path("connected").asBoolean()
                    && folder.path("inSync").asBoolean();
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** About 200 MiB: a large file, mid-size files, many small ones, and the odd shapes. */
    private static void writeMixedTree(Path root) throws IOException {
        TestData.writeLarge(root.resolve("video/large.bin"), 21, 100L << 20);
        for (int i = 0; i < 20; i++) {
            TestData.writeFile(root.resolve("docs/part-" + i + ".dat"), 300 + i, 2 << 20);
        }
        for (int i = 0; i < 2_000; i++) {
            TestData.writeFile(root.resolve(String.format("small/%02d/f%04d.txt", i % 40, i)), 5_000 + i,
                    20_000 + (i * 37) % 20_000);
        }
        Files.createDirectories(root.resolve("empty/dir"));
        Files.write(root.resolve("docs/empty.txt"), new byte[0]);
        Files.writeString(root.resolve("docs/résumé ✓.txt"), "unicode\n");
        Files.createDirectories(root.resolve("bin"));
        Path script = Files.writeString(root.resolve("bin/run.sh"), "#!/bin/sh\necho ok\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(root.resolve("bin/link"), Path.of("run.sh"));
    }

    private static Process run(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("meshfold").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile());
        pb.redirectError(ProcessBuilder.Redirect.appendTo(new File(System.getProperty("java.io.tmpdir"),
                "meshfold-launcher-test.log")));
        return pb.start();
    }

    /** Reads stdout until a line with {@code prefix}; the rest of the output is drained in the background. */
    private static String readLine(Process p, String prefix) throws IOException, InterruptedException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            if (line.startsWith(prefix)) {
                Thread drain = new Thread(() -> r.lines().forEach(l -> { }), "drain");
                drain.setDaemon(true);
                drain.start();
                return line.substring(prefix.length()).trim();
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "' (exit " + p.waitFor() + ")");
    }

    private static String decodeQr(Path png) throws Exception {
        var bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(ImageIO.read(png.toFile()))));
        // The PNG holds nothing but the code, so the reader need not search the image for it.
        return new QRCodeReader().decode(bitmap, java.util.Map.of(com.google.zxing.DecodeHintType.PURE_BARCODE, Boolean.TRUE))
                .getText();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
