package org.meshfold.replication;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import org.meshfold.clock.HlcClock;
import org.meshfold.fs.PathNames;
import org.meshfold.identity.DeviceId;
import org.meshfold.index.FileRecord;

/** One in-process device with one folder: index, engine, scanner and a directory of its own. */
final class TestDevice implements AutoCloseable {
    static final String FOLDER = "default";

    final DeviceId id;
    final Path root;
    final MemoryFolderIndex index;
    final HlcClock hlc;
    final FolderSync sync;
    final SyncService service = new SyncService();
    final TestScanner scanner;
    /** Names the engine asked to rescan, in order. */
    final List<String> rescans = new CopyOnWriteArrayList<>();

    TestDevice(int number, Path root, Clock clock, ExecutorService io, FolderSyncOptions.Tuning tuning, int blockSize) {
        this.id = deviceId(number);
        this.root = root;
        this.index = new MemoryFolderIndex(FOLDER, 1000 + number);
        this.hlc = new HlcClock(clock);
        FolderSyncOptions options = FolderSyncOptions.of(FOLDER, "Default", root, id).withTuning(tuning);
        this.sync = new FolderSync(options, index, hlc, clock, io, rescans::addAll);
        this.scanner = new TestScanner(root, index, hlc, id.shortId(), blockSize);
        sync.start();
    }

    /** A device id whose order among test devices follows {@code number}. */
    static DeviceId deviceId(int number) {
        byte[] b = new byte[DeviceId.LENGTH];
        b[0] = (byte) (0x10 * number + 1);
        for (int i = 1; i < b.length; i++) {
            b[i] = (byte) (number * 31 + i);
        }
        return DeviceId.of(b);
    }

    void share(Set<DeviceId> others) {
        service.addFolder(sync, others);
    }

    /** Commits whatever the scanner finds changed on disk. */
    void scan() {
        List<FileRecord> changes = scanner.scan();
        if (!changes.isEmpty()) {
            sync.localChanges(changes).join();
        }
    }

    void write(String name, byte[] content) {
        try {
            Path p = path(name);
            Files.createDirectories(p.getParent());
            Files.write(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        scan();
    }

    void delete(String name) {
        try {
            Files.deleteIfExists(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        scan();
    }

    Path path(String name) {
        return PathNames.resolve(root, name);
    }

    byte[] read(String name) {
        try {
            return Files.readAllBytes(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FolderStatus status() {
        return sync.status();
    }

    @Override
    public void close() {
        sync.close();
    }
}
