package org.meshfold.pairing;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * QR codes of invite codes, for the terminal and as PNG images. Error correction level M
 * (about 15% of the symbol may be damaged) with the standard 4-module quiet zone around it.
 */
public final class QrCodes {
    public static final int QUIET_ZONE_MODULES = 4;
    public static final int DEFAULT_PNG_SCALE = 8;
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /**
     * What the terminal draws: block characters are painted in the text colour, spaces show the
     * background. A scanner needs dark modules on a light field, so on a dark background (light
     * text) the glyphs draw the light modules, and on a light background the dark ones.
     */
    public enum Terminal {
        /** Light text on a dark background, the usual terminal default: glyphs are light modules. */
        DARK_BACKGROUND,
        /** Dark text on a light background: glyphs are dark modules. */
        LIGHT_BACKGROUND
    }

    private QrCodes() {
    }

    /**
     * The QR code of {@code content} as modules, quiet zone included: {@code get(x, y)} is true
     * for a dark module. Content is printable ASCII, which every reader decodes the same way
     * without a character-set marker.
     */
    static BitMatrix matrix(String content) {
        if (content.isEmpty() || !content.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("QR content must be non-empty printable ASCII");
        }
        try {
            return new QRCodeWriter().encode(content, BarcodeFormat.QR_CODE, 0, 0, Map.of(
                    EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
                    EncodeHintType.MARGIN, QUIET_ZONE_MODULES));
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot make a QR code of " + content.length() + " characters", e);
        }
    }

    /**
     * The QR code as lines of text, two module rows per line: the upper half of each character
     * is the upper module and the lower half the one below it ({@code '█'} both, {@code '▀'}
     * upper only, {@code '▄'} lower only, {@code ' '} neither, where a painted half is a light
     * module on {@link Terminal#DARK_BACKGROUND} and a dark one on
     * {@link Terminal#LIGHT_BACKGROUND}). An odd last row is paired with an extra quiet row.
     * Lines are separated by {@code '\n'}, with one after the last.
     */
    public static String terminalText(String content, Terminal terminal) {
        BitMatrix m = matrix(content);
        boolean paintDark = terminal == Terminal.LIGHT_BACKGROUND;
        StringBuilder out = new StringBuilder((m.getWidth() + 1) * (m.getHeight() + 1) / 2);
        for (int y = 0; y < m.getHeight(); y += 2) {
            for (int x = 0; x < m.getWidth(); x++) {
                boolean upper = m.get(x, y) == paintDark;
                boolean lower = (y + 1 < m.getHeight() && m.get(x, y + 1)) == paintDark;
                out.append(upper ? (lower ? '█' : '▀') : (lower ? '▄' : ' '));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** The QR code as a black-and-white image of {@code scale} pixels per module. */
    public static BufferedImage image(String content, int scale) {
        if (scale < 1 || scale > 64) {
            throw new IllegalArgumentException("scale must be 1..64 pixels per module, got " + scale);
        }
        BitMatrix m = matrix(content);
        BufferedImage image = new BufferedImage(m.getWidth() * scale, m.getHeight() * scale, BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, m.get(x / scale, y / scale) ? 0xff000000 : 0xffffffff);
            }
        }
        return image;
    }

    /**
     * Writes the QR code of {@code content} to {@code file} as a PNG of {@code scale} pixels per
     * module. The file appears complete or not at all; it is created readable by its owner only
     * (POSIX), since the code it shows contains the invite's secret.
     */
    public static void writePng(String content, int scale, Path file) throws IOException {
        BufferedImage image = image(content, scale);
        Path dir = file.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            // Into the temporary file as created (owner-only); ImageIO would recreate a File target.
            try (OutputStream out = Files.newOutputStream(temp)) {
                if (!ImageIO.write(image, "png", out)) {
                    throw new IOException("no PNG writer in this Java runtime");
                }
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A file name for an invite image made at {@code time}, e.g. {@code meshfold-invite-20250314-093000.png}. */
    public static String timestampedPngName(Instant time, ZoneId zone) {
        return "meshfold-invite-" + FILE_TIME.format(time.atZone(zone)) + ".png";
    }
}
