package org.meshfold.pairing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.Result;
import com.google.zxing.ResultMetadataType;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.pairing.QrCodes.Terminal;

class QrCodesTest {
    private static final String CODE = InviteCodec.encode(Invites.full());
    /** Pixels of one module in a terminal cell: cells are about twice as tall as wide. */
    private static final int CELL_WIDTH = 4;
    private static final int HALF_HEIGHT = 4;

    @TempDir
    Path dir;

    @Test
    void writePng_decodesToTheSameCode() throws Exception {
        Path png = dir.resolve("invite.png");

        QrCodes.writePng(CODE, QrCodes.DEFAULT_PNG_SCALE, png);

        BufferedImage image = ImageIO.read(png.toFile());
        int modules = QrCodes.matrix(CODE).getWidth();
        assertThat(image.getWidth()).isEqualTo(modules * 8).isEqualTo(image.getHeight());
        Result result = decode(image);
        assertThat(result.getText()).isEqualTo(CODE);
        assertThat(result.getResultMetadata().get(ResultMetadataType.ERROR_CORRECTION_LEVEL)).isEqualTo("M");
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).as("no temporary file left").containsExactly(png);
        }
    }

    @Test
    void writePng_fileReadableByOwnerOnly() throws Exception {
        Path png = dir.resolve("invite.png");

        QrCodes.writePng(CODE, 2, png);

        assertThat(Files.getPosixFilePermissions(png))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void writePng_existingFile_replaced() throws Exception {
        Path png = dir.resolve("invite.png");
        Files.writeString(png, "old");

        QrCodes.writePng(CODE, 3, png);

        assertThat(decode(ImageIO.read(png.toFile())).getText()).isEqualTo(CODE);
    }

    @Test
    void terminalText_darkBackground_drawnAsSeenDecodesToTheSameCode() throws Exception {
        String text = QrCodes.terminalText(CODE, Terminal.DARK_BACKGROUND);

        assertThat(decode(drawAsTerminal(text, Color.WHITE, Color.BLACK)).getText()).isEqualTo(CODE);
    }

    @Test
    void terminalText_lightBackground_drawnAsSeenDecodesToTheSameCode() throws Exception {
        String text = QrCodes.terminalText(CODE, Terminal.LIGHT_BACKGROUND);

        assertThat(decode(drawAsTerminal(text, Color.BLACK, Color.WHITE)).getText()).isEqualTo(CODE);
    }

    @Test
    void terminalText_twoModuleRowsPerLineWithQuietZone() {
        BitMatrix m = QrCodes.matrix(CODE);
        List<String> dark = QrCodes.terminalText(CODE, Terminal.DARK_BACKGROUND).lines().toList();
        List<String> light = QrCodes.terminalText(CODE, Terminal.LIGHT_BACKGROUND).lines().toList();

        assertThat(dark).hasSize((m.getHeight() + 1) / 2).allSatisfy(line -> assertThat(line)
                .hasSize(m.getWidth()).matches("[█▀▄ ]+"));
        assertThat(light).hasSize(dark.size());
        // Quiet zone: on a dark background it is painted light, on a light one it is left blank.
        assertThat(dark.getFirst()).isEqualTo("█".repeat(m.getWidth()));
        assertThat(dark.get(1)).startsWith("████").endsWith("████");
        assertThat(light.getFirst()).isBlank();
        // Module (4,4) is the finder pattern's dark corner: upper half of line 2, column 4.
        assertThat(m.get(4, 4)).isTrue();
        assertThat(light.get(2).charAt(4)).isIn('█', '▀');
        assertThat(dark.get(2).charAt(4)).isIn(' ', '▄');
    }

    @Test
    void matrix_quietZoneOfFourLightModules() {
        BitMatrix m = QrCodes.matrix(CODE);
        for (int i = 0; i < m.getWidth(); i++) {
            for (int q = 0; q < QrCodes.QUIET_ZONE_MODULES; q++) {
                assertThat(m.get(i, q) || m.get(q, i) || m.get(i, m.getHeight() - 1 - q) || m.get(m.getWidth() - 1 - q, i))
                        .isFalse();
            }
        }
        assertThat(m.get(QrCodes.QUIET_ZONE_MODULES, QrCodes.QUIET_ZONE_MODULES)).isTrue();
    }

    @Test
    void matrix_nonAsciiContent_refused() {
        assertThatThrownBy(() -> QrCodes.matrix("mf1:ü")).hasMessage("QR content must be non-empty printable ASCII");
        assertThatThrownBy(() -> QrCodes.image(CODE, 0)).hasMessageContaining("scale must be 1..64");
    }

    @Test
    void timestampedPngName_localTimeOfCreation() {
        assertThat(QrCodes.timestampedPngName(Instant.parse("2026-03-14T09:30:05Z"), ZoneId.of("Europe/Berlin")))
                .isEqualTo("meshfold-invite-20260314-103005.png");
    }

    /**
     * Draws terminal text as a terminal shows it: each character a cell of two module-sized
     * halves, painted halves in the text colour, surrounded by more terminal background.
     */
    private static BufferedImage drawAsTerminal(String text, Color foreground, Color background) {
        List<String> lines = text.lines().toList();
        int border = 24;
        int width = lines.getFirst().length() * CELL_WIDTH + 2 * border;
        int height = lines.size() * 2 * HALF_HEIGHT + 2 * border;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(background);
        g.fillRect(0, 0, width, height);
        g.setColor(foreground);
        for (int row = 0; row < lines.size(); row++) {
            String line = lines.get(row);
            for (int col = 0; col < line.length(); col++) {
                char c = line.charAt(col);
                int x = border + col * CELL_WIDTH;
                int y = border + row * 2 * HALF_HEIGHT;
                if (c == '█' || c == '▀') {
                    g.fillRect(x, y, CELL_WIDTH, HALF_HEIGHT);
                }
                if (c == '█' || c == '▄') {
                    g.fillRect(x, y + HALF_HEIGHT, CELL_WIDTH, HALF_HEIGHT);
                }
            }
        }
        g.dispose();
        return image;
    }

    private static Result decode(BufferedImage image) throws Exception {
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new ImageLuminance(image))));
    }
}
