package org.meshfold.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.cli.Main;
import org.meshfold.config.ConfigFile;
import org.meshfold.config.DiscoveryConfig;
import org.meshfold.config.NodeConfig;
import org.meshfold.identity.DeviceIdentity;

/**
 * Pairing from the command line with no daemon running: {@code init} and {@code invite} on one
 * home (invite is a separate process that waits for the joiner), {@code join} with the printed
 * code on another; both configurations then name each other for the folder.
 */
class PairingCliTest {
    @TempDir
    Path base;

    @Test
    void inviteThenJoin_pairsBothHomes_andThePngHoldsTheSameCode() throws Exception {
        Path homeA = base.resolve("a-home");
        Path homeB = base.resolve("b-home");
        Path folderA = base.resolve("a-folder");
        Path folderB = base.resolve("b-folder");
        assertThat(cli("init", folderA.toString(), "--label", "Photos", "--home", homeA.toString()).exit).isZero();
        int port = freePort();
        ConfigFile.save(homeA, ConfigFile.load(homeA).withListen(new java.net.InetSocketAddress("127.0.0.1", port))
                .withDiscovery(DiscoveryConfig.OFF));
        Path png = base.resolve("invite.png");

        Process invite = cliProcess("invite", folderA.toString(), "--ttl", "2m", "--png", png.toString(),
                "--home", homeA.toString());
        String code = readCode(invite);
        Result join = cli("join", code, folderB.toString(), "--home", homeB.toString());

        assertThat(join.exit).as(join.err).isZero();
        assertThat(invite.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(invite.exitValue()).isZero();
        NodeConfig a = ConfigFile.load(homeA);
        NodeConfig b = ConfigFile.load(homeB);
        var idA = DeviceIdentity.loadOrCreate(homeA).deviceId();
        var idB = DeviceIdentity.loadOrCreate(homeB).deviceId();
        assertThat(a.folders().get(0).devices()).containsExactly(idB);
        assertThat(b.folders()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo(a.folders().get(0).id());
            assertThat(f.label()).isEqualTo("Photos");
            assertThat(f.path()).isEqualTo(folderB);
            assertThat(f.devices()).containsExactly(idA);
        });
        assertThat(b.peer(idA).orElseThrow().addresses()).contains(new java.net.InetSocketAddress("127.0.0.1", port));
        assertThat(decodeQr(png)).isEqualTo(code);
    }

    @Test
    void join_badCodes_failWithClearMessagesAndChangeNothing() throws Exception {
        Path homeB = base.resolve("b-home");
        Path folderB = base.resolve("b-folder");
        Result malformed = cli("join", "hello", folderB.toString(), "--home", homeB.toString());
        Result truncated = cli("join", "mf1:AEAQCAIBAEAQCAIB", folderB.toString(), "--home", homeB.toString());

        assertThat(malformed.exit).isEqualTo(2);
        assertThat(malformed.err).contains("meshfold invite");
        assertThat(truncated.exit).isEqualTo(2);
        assertThat(truncated.err).containsIgnoringCase("code");
        assertThat(homeB.resolve("config.properties")).doesNotExist();
        assertThat(folderB).doesNotExist();
    }

    @Test
    void join_intoARegularFile_isRefused() throws Exception {
        Path file = Files.writeString(base.resolve("not-a-dir"), "x");
        Path homeA = base.resolve("a-home");
        cli("init", base.resolve("a-folder").toString(), "--home", homeA.toString());
        // A syntactically valid code is needed to get past decoding: make one with an invite process.
        int port = freePort();
        ConfigFile.save(homeA, ConfigFile.load(homeA).withListen(new java.net.InetSocketAddress("127.0.0.1", port))
                .withDiscovery(DiscoveryConfig.OFF));
        Process invite = cliProcess("invite", base.resolve("a-folder").toString(), "--ttl", "1m",
                "--png", base.resolve("x.png").toString(), "--home", homeA.toString());
        try {
            String code = readCode(invite);
            Result r = cli("join", code, file.toString(), "--home", base.resolve("b-home").toString());

            assertThat(r.exit).isEqualTo(2);
            assertThat(r.err).contains("is not a directory");
            assertThat(file).hasContent("x");
        } finally {
            invite.destroyForcibly().waitFor();
        }
    }

    private record Result(int exit, String out, String err) {
    }

    private static synchronized Result cli(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            var cl = Main.commandLine();
            cl.setErr(new java.io.PrintWriter(System.err, true));
            int exit = cl.execute(args);
            return new Result(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static Process cliProcess(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "org.meshfold.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Reads the invite process's output until the {@code code:} line. */
    private static String readCode(Process invite) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(invite.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String line;
        while ((line = r.readLine()) != null && System.nanoTime() < deadline) {
            if (line.startsWith("code: ")) {
                String code = line.substring("code: ".length()).trim();
                Thread drain = new Thread(() -> r.lines().forEach(l -> { }), "invite-output");
                drain.setDaemon(true);
                drain.start();
                return code;
            }
        }
        throw new AssertionError("invite printed no code");
    }

    private static String decodeQr(Path png) throws Exception {
        var image = ImageIO.read(png.toFile());
        var bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)));
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
