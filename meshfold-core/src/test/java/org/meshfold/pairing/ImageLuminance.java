package org.meshfold.pairing;

import com.google.zxing.LuminanceSource;
import java.awt.image.BufferedImage;

/** zxing's view of an image as grey levels (what zxing's javase module offers, in a few lines). */
final class ImageLuminance extends LuminanceSource {
    private final byte[] luminance;

    ImageLuminance(BufferedImage image) {
        super(image.getWidth(), image.getHeight());
        luminance = new byte[image.getWidth() * image.getHeight()];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int grey = (((rgb >> 16) & 0xff) * 299 + ((rgb >> 8) & 0xff) * 587 + (rgb & 0xff) * 114) / 1000;
                luminance[y * image.getWidth() + x] = (byte) grey;
            }
        }
    }

    @Override
    public byte[] getRow(int y, byte[] row) {
        byte[] out = row != null && row.length >= getWidth() ? row : new byte[getWidth()];
        System.arraycopy(luminance, y * getWidth(), out, 0, getWidth());
        return out;
    }

    @Override
    public byte[] getMatrix() {
        return luminance.clone();
    }
}
