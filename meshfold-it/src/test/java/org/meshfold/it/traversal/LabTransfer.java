package org.meshfold.it.traversal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.meshfold.fs.PathNames;
import org.meshfold.it.traversal.LabDevice.PeerView;

/**
 * One large file synced from one lab device to another. It is written with random, incompressible
 * content beside the sender's folder and moved in whole, so the scanner never sees half of it; its
 * progress is the receiver's {@code bytesDownloaded} (verified block bytes, from {@code status
 * --json}) counted from the moment it was written; it has arrived when the receiver's copy has its
 * full size, and is then compared by SHA-256.
 */
final class LabTransfer {
    private static final int CHUNK = 1 << 20;

    /**
     * One look at both devices: the receiver's progress and what each says about the other
     * ({@code null} while it does not list it); {@code at} is when the receiver answered.
     */
    record Sample(Instant at, long received, PeerView senderSeesReceiver, PeerView receiverSeesSender) {
        boolean bothOn(String path) {
            return senderSeesReceiver != null && senderSeesReceiver.connected() && path.equals(senderSeesReceiver.path())
                    && receiverSeesSender != null && receiverSeesSender.connected()
                    && path.equals(receiverSeesSender.path());
        }

        String paths() {
            return "sender sees " + senderSeesReceiver + "; receiver sees " + receiverSeesSender;
        }
    }

    private final LabDevice from;
    private final LabDevice to;
    private final String name;
    private final long size;
    private final String sha256;
    private final long baseline;
    private final Instant written;

    private LabTransfer(LabDevice from, LabDevice to, String name, long size, String sha256, long baseline) {
        this.from = from;
        this.to = to;
        this.name = name;
        this.size = size;
        this.sha256 = sha256;
        this.baseline = baseline;
        this.written = Instant.now();
    }

    /** Writes {@code size} random bytes as {@code name} into the sender's folder; the sync starts by itself. */
    static LabTransfer start(LabDevice from, LabDevice to, String name, long size) {
        long baseline = to.liveStatus().map(LabDevice::bytesDownloaded).orElse(0L);
        Path staging = from.folder().resolveSibling(from.name() + "-staging-" + name);
        MessageDigest digest = sha256();
        SplittableRandom random = new SplittableRandom(name.hashCode() ^ size);
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        try (OutputStream out = Files.newOutputStream(staging)) {
            for (long left = size; left > 0; left -= chunk.limit()) {
                chunk.clear();
                while (chunk.remaining() >= Long.BYTES) {
                    chunk.putLong(random.nextLong());
                }
                chunk.flip().limit((int) Math.min(chunk.limit(), left));
                digest.update(chunk.array(), 0, chunk.limit());
                out.write(chunk.array(), 0, chunk.limit());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + staging, e);
        }
        try {
            Files.move(staging, from.file(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + staging + " into " + from.folder(), e);
        }
        return new LabTransfer(from, to, name, size, HexFormat.of().formatHex(digest.digest()), baseline);
    }

    long size() {
        return size;
    }

    Instant written() {
        return written;
    }

    Sample sample() {
        PeerView senderView = from.peer(to.id()).orElse(null);
        JsonNode status = to.liveStatus().orElse(null);
        Instant at = Instant.now();
        return new Sample(at, status == null ? 0 : LabDevice.bytesDownloaded(status) - baseline, senderView,
                status == null ? null : LabDevice.peerIn(status, from.id()).orElse(null));
    }

    /** True once the receiver's copy has its full size (it is renamed into place only when complete). */
    boolean arrived() {
        Path copy = to.file(name);
        try {
            return Files.isRegularFile(copy) && Files.size(copy) == size;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Samples until {@code until} holds for a sample, handing every sample to {@code check} first
     * (which fails the wait by throwing); returns every sample taken.
     */
    List<Sample> sampleUntil(String what, Duration timeout, Consumer<Sample> check, Predicate<Sample> until) {
        List<Sample> samples = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Sample s = sample();
            check.accept(s);
            samples.add(s);
            if (until.test(s)) {
                return samples;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + " (" + name
                        + ": " + s.received() + " of " + size + " bytes received; " + s.paths() + ")");
            }
            LockSupport.parkNanos(PairRun.POLL.toNanos() / 2);
        }
    }

    /** Samples (each checked) until the file has arrived; returns every sample taken. */
    List<Sample> awaitArrival(Duration timeout, Consumer<Sample> check) {
        return sampleUntil(name + " to arrive on " + to.name(), timeout, check, s -> arrived());
    }

    /** Fails unless the receiver's copy has the content written on the sender. */
    void verify() {
        String received = hash(to.file(name));
        if (!received.equals(sha256)) {
            throw new AssertionError(name + " on " + to.name() + " has SHA-256 " + received + ", written: " + sha256);
        }
    }

    /**
     * Bytes per second while the file moved: from the first sample that saw bytes arriving to the
     * last sample, by the progress between them.
     */
    static double bytesPerSecond(List<Sample> samples) {
        Sample first = samples.stream().filter(s -> s.received() > 0).findFirst()
                .orElseThrow(() -> new AssertionError("no sample saw bytes arriving"));
        Sample last = samples.getLast();
        double seconds = Duration.between(first.at(), last.at()).toNanos() / 1e9;
        if (seconds <= 0) {
            throw new AssertionError("the transfer was too quick to measure between two samples: use a larger file");
        }
        return (last.received() - first.received()) / seconds;
    }

    /** Removes both copies and any partial copy (once the daemons are stopped, so no deletion is synced). */
    void deleteCopies() {
        for (Path p : List.of(from.file(name), to.file(name), to.file(PathNames.TEMP_PREFIX + name))) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + p, e);
            }
        }
    }

    private static String hash(Path file) {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[CHUNK];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return name + " (" + size + " bytes, " + from.name() + " → " + to.name() + ")";
    }
}
