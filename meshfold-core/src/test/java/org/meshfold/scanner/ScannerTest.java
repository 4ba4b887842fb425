package org.meshfold.scanner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshfold.clock.HlcClock;
import org.meshfold.clock.VersionVector;
import org.meshfold.fs.PathNames;
import org.meshfold.index.FileRecord;
import org.meshfold.index.FileType;

class ScannerTest {
    private static final long SELF = 0x1234_5678_9abc_def0L;

    @TempDir
    Path root;
    @TempDir
    Path outside;

    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final HlcClock clock = new HlcClock(Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC));
    /** Version counters are at least the wall-clock second of the change. */
    private static final long NOW_SECONDS = Instant.parse("2025-01-02T03:04:05Z").getEpochSecond();
    private final MemoryScanIndex index = new MemoryScanIndex();

    @AfterEach
    void stop() throws InterruptedException {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private Scanner scanner(IgnoreMatcher ignores) {
        return new Scanner(clock, executor, SELF, root, ignores);
    }

    private Scanner scanner() {
        return scanner(IgnoreMatcher.NONE);
    }

    private ScanResult scanAndCommit() throws IOException {
        ScanResult r = scanner().scan(index);
        index.commit(r.changes());
        return r;
    }

    private static List<String> names(ScanResult r) {
        return r.changes().stream().map(FileRecord::name).toList();
    }

    private Path write(String name, byte[] content) throws IOException {
        Path p = root.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.write(p, content);
    }

    @Test
    void scan_newFolder_recordsEveryEntryParentsFirst() throws IOException {
        Path a = write("a.txt", "hello".getBytes());
        Files.setPosixFilePermissions(a, PosixFilePermissions.fromString("rw-r-----"));
        byte[] big = ChunkerTest.random(600_000, 1);
        write("d/b.bin", big);
        write("d/empty", new byte[0]);
        Files.createDirectories(root.resolve("e"));
        Files.setPosixFilePermissions(root.resolve("e"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(root.resolve("link"), Path.of("a.txt"));

        ScanResult r = scanner().scan(index);

        assertThat(names(r)).containsExactly("a.txt", "d", "d/b.bin", "d/empty", "e", "link");
        assertThat(r.changedWhileHashing()).isEmpty();
        for (FileRecord rec : r.changes()) {
            assertThat(rec.deleted()).isFalse();
            assertThat(rec.version()).isEqualTo(VersionVector.of(Map.of(SELF, NOW_SECONDS)));
            assertThat(rec.modifiedBy()).isEqualTo(SELF);
            assertThat(rec.sequence()).isZero();
            assertThat(rec.hlc().physicalMillis()).isEqualTo(Instant.parse("2025-01-02T03:04:05Z").toEpochMilli());
        }
        FileRecord ra = r.changes().get(0);
        assertThat(ra.type()).isEqualTo(FileType.FILE);
        assertThat(ra.size()).isEqualTo(5);
        assertThat(ra.permissions()).isEqualTo(0640);
        assertThat(ra.mtimeNanos()).isEqualTo(Files.getLastModifiedTime(a).to(TimeUnit.NANOSECONDS));
        assertThat(ra.blocks()).hasSize(1);
        FileRecord rb = r.changes().get(2);
        HashedContent expected = new FileHasher(executor).hash(root.resolve("d/b.bin"));
        assertThat(rb.blocks()).isEqualTo(expected.blocks()).hasSizeGreaterThan(1);
        assertThat(rb.blocksHash()).isEqualTo(expected.blocksHash());
        assertThat(r.changes().get(3).blocks()).isEmpty();
        assertThat(r.changes().get(3).blocksHash()).isEqualTo(FileRecord.EMPTY_CONTENT);
        FileRecord re = r.changes().get(4);
        assertThat(re.type()).isEqualTo(FileType.DIRECTORY);
        assertThat(re.permissions()).isEqualTo(0750);
        FileRecord link = r.changes().get(5);
        assertThat(link.type()).isEqualTo(FileType.SYMLINK);
        assertThat(link.symlinkTarget()).isEqualTo("a.txt");
        assertThat(link.permissions()).isZero();
        assertThat(link.blocks()).isEmpty();
    }

    @Test
    void scan_tempFilesOfDownloads_reportedByTheirNameAndNotRecorded() throws IOException {
        write("dir/.meshfold-tmp-report.pdf", new byte[10]);
        write(".meshfold-tmp-" + "x".repeat(200), new byte[10]); // shortened temp name: its name is not known
        write("dir/kept.txt", new byte[3]);

        ScanResult r = scanAndCommit();

        assertThat(r.tempFiles()).containsExactly("dir/report.pdf");
        assertThat(names(r)).containsExactly("dir", "dir/kept.txt");
    }

    @Test
    void scan_nothingChanged_returnsNoChanges() throws IOException {
        write("a", new byte[] {1});
        write("d/b", new byte[] {2});
        Files.createSymbolicLink(root.resolve("l"), Path.of("nowhere"));
        scanAndCommit();
        assertThat(scanner().scan(index).isEmpty()).isTrue();
    }

    @Test
    void scan_modifiedFile_rehashedWithBumpedVersion() throws IOException {
        write("a", "one".getBytes());
        write("b", "unchanged".getBytes());
        scanAndCommit();
        FileRecord before = index.get("a");
        write("a", "three".getBytes());

        ScanResult r = scanner().scan(index);

        assertThat(names(r)).containsExactly("a");
        FileRecord after = r.changes().get(0);
        assertThat(after.size()).isEqualTo(5);
        assertThat(after.blocksHash()).isNotEqualTo(before.blocksHash());
        assertThat(after.version()).isEqualTo(VersionVector.of(Map.of(SELF, NOW_SECONDS + 1)));
        assertThat(after.version().dominates(before.version())).isTrue();
    }

    @Test
    void scan_fileSyncIsPuttingInPlace_hashedOnlyIfTheDiskDiffersFromBoth() throws IOException {
        Path a = write("a", "old".getBytes());
        scanAndCommit();
        FileRecord old = index.get("a");
        write("a", "pulled".getBytes());
        FileRecord pulled = scanner().scan(new MemoryScanIndex()).changes().get(0);
        ScanIndex view = ScanIndex.of(index::local, index::forEachLocal,
                n -> n.equals("a") ? Optional.of(pulled) : Optional.empty());

        assertThat(scanner().scan(view).changes()).as("the pulled file in place").isEmpty();

        Files.write(a, "old".getBytes());
        Files.setLastModifiedTime(a, FileTime.from(old.mtimeNanos(), TimeUnit.NANOSECONDS));
        assertThat(scanner().scan(view).changes()).as("the old file, not replaced yet").isEmpty();

        write("a", "edited".getBytes());
        assertThat(names(scanner().scan(view))).as("changed by the user").containsExactly("a");
    }

    @Test
    void scan_onlyMtimeChanged_recordsNewMtimeWithSameContent() throws IOException {
        Path a = write("a", "same".getBytes());
        scanAndCommit();
        FileRecord before = index.get("a");
        Files.setLastModifiedTime(a, FileTime.from(Instant.parse("2020-05-06T07:08:09.123456789Z")));

        ScanResult r = scanner().scan(index);

        assertThat(names(r)).containsExactly("a");
        FileRecord after = r.changes().get(0);
        assertThat(after.blocksHash()).isEqualTo(before.blocksHash());
        assertThat(after.mtimeNanos()).isEqualTo(Files.getLastModifiedTime(a).to(TimeUnit.NANOSECONDS));
        assertThat(after.mtimeNanos()).isNotEqualTo(before.mtimeNanos());
        assertThat(after.version().dominates(before.version())).isTrue();
    }

    @Test
    void scan_permissionsChanged_recorded() throws IOException {
        Path a = write("a", "x".getBytes());
        scanAndCommit();
        Files.setPosixFilePermissions(a, PosixFilePermissions.fromString("rwx------"));
        ScanResult r = scanner().scan(index);
        assertThat(names(r)).containsExactly("a");
        assertThat(r.changes().get(0).permissions()).isEqualTo(0700);
    }

    @Test
    void scan_deletedTree_tombstonesChildrenBeforeParents() throws IOException {
        write("d/e/f", new byte[] {1});
        write("d/g", new byte[] {2});
        write("keep", new byte[] {3});
        scanAndCommit();
        FileRecord f = index.get("d/e/f");
        deleteTree(root.resolve("d"));

        ScanResult r = scanner().scan(index);

        assertThat(names(r)).containsExactly("d/g", "d/e/f", "d/e", "d");
        assertThat(r.changes()).allSatisfy(rec -> {
            assertThat(rec.deleted()).isTrue();
            assertThat(rec.modifiedBy()).isEqualTo(SELF);
        });
        assertThat(r.changes().get(1).version()).isEqualTo(f.version().bump(SELF));
        index.commit(r.changes());
        assertThat(scanner().scan(index).isEmpty()).as("tombstones stay tombstones").isTrue();
    }

    @Test
    void scan_fileReplacedByDirectory_andDirectoryByFile() throws IOException {
        write("a", new byte[] {1});
        write("d/x", new byte[] {2});
        scanAndCommit();
        FileRecord oldA = index.get("a");
        Files.delete(root.resolve("a"));
        write("a/b", new byte[] {3});
        deleteTree(root.resolve("d"));
        write("d", new byte[] {4});

        ScanResult r = scanner().scan(index);

        assertThat(names(r)).containsExactly("d/x", "a", "a/b", "d");
        assertThat(r.changes().get(0).deleted()).isTrue();
        assertThat(r.changes().get(1).type()).isEqualTo(FileType.DIRECTORY);
        assertThat(r.changes().get(1).version().dominates(oldA.version())).isTrue();
        assertThat(r.changes().get(3).type()).isEqualTo(FileType.FILE);
    }

    @Test
    void scan_ignoredNames_neitherRecordedNorTombstoned() throws IOException {
        write("x.log", new byte[] {1});
        write("keep.txt", new byte[] {2});
        scanAndCommit();
        write(PathNames.tempName("sub/partial"), new byte[] {3});
        write("build/out.o", new byte[] {4});
        write("y.log", new byte[] {5});
        Files.writeString(root.resolve(PathNames.IGNORE_FILE), "*.log\nbuild/\n");

        ScanResult r = scanner(IgnoreMatcher.load(root)).scan(index);

        assertThat(names(r)).containsExactly("sub");
        Files.delete(root.resolve("x.log"));
        assertThat(scanner(IgnoreMatcher.load(root)).scan(index).changes()).extracting(FileRecord::name)
                .containsExactly("sub");
    }

    @Test
    void scan_symlinkToDirectoryOutside_isNotFollowed() throws IOException {
        Files.write(outside.resolve("secret"), new byte[] {1});
        Files.createSymbolicLink(root.resolve("out"), outside);

        ScanResult full = scanner().scan(index);
        assertThat(names(full)).containsExactly("out");
        assertThat(full.changes().get(0).type()).isEqualTo(FileType.SYMLINK);
        assertThat(full.changes().get(0).symlinkTarget()).isEqualTo(outside.toString());
        index.commit(full.changes());

        assertThat(scanner().scan(index, List.of("out/secret")).isEmpty()).isTrue();
    }

    @Test
    void scan_fileModifiedWhileHashing_reportedAndNotRecorded() throws IOException {
        write("busy", ChunkerTest.random(100_000, 2));
        write("calm", new byte[] {1});
        FileHasher hasher = new FileHasher(executor);
        Function<Path, CompletableFuture<HashedContent>> appendAfterHashing = p -> hasher.hashAsync(p).thenApply(c -> {
            if (p.getFileName().toString().equals("busy")) {
                try {
                    Files.write(p, new byte[] {9}, StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
            return c;
        });

        ScanResult r = new Scanner(clock, SELF, root, IgnoreMatcher.NONE, appendAfterHashing).scan(index);

        assertThat(names(r)).containsExactly("calm");
        assertThat(r.changedWhileHashing()).containsExactly("busy");
        assertThat(scanner().scan(index, r.changedWhileHashing()).changes()).extracting(FileRecord::name)
                .containsExactly("busy");
    }

    @Test
    void scan_entryPutInPlaceAndCommittedBySyncDuringTheWalk_notTombstoned() throws IOException {
        write("first", new byte[] {1});
        FileHasher hasher = new FileHasher(executor);
        // While "first" is hashed, after the folder was listed, sync puts "pulled" in place and
        // commits its record (disk first, then index), as the folder loop does.
        Function<Path, CompletableFuture<HashedContent>> pullMeanwhile = p -> {
            if (p.getFileName().toString().equals("first")) {
                try {
                    write("pulled", "from a peer".getBytes());
                    index.commit(scanner().scan(index, List.of("pulled")).changes());
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
            return hasher.hashAsync(p);
        };

        ScanResult r = new Scanner(clock, SELF, root, IgnoreMatcher.NONE, pullMeanwhile).scan(index);

        assertThat(names(r)).containsExactly("first");
        assertThat(index.get("pulled").deleted()).isFalse();
    }

    @Test
    void scan_unreadableFile_skippedAndNotTombstoned() throws IOException {
        write("locked", "v1".getBytes());
        scanAndCommit();
        write("locked", "version 2".getBytes());
        write("other", new byte[] {1});
        FileHasher hasher = new FileHasher(executor);
        Function<Path, CompletableFuture<HashedContent>> denyLocked = p -> p.getFileName().toString().equals("locked")
                ? CompletableFuture.failedFuture(new AccessDeniedException(p.toString()))
                : hasher.hashAsync(p);

        ScanResult r = new Scanner(clock, SELF, root, IgnoreMatcher.NONE, denyLocked).scan(index);

        assertThat(names(r)).containsExactly("other");
        assertThat(r.changedWhileHashing()).isEmpty();
    }

    @Test
    void scan_invalidAndNonUtf8Names_skipped() throws Exception {
        write("good", new byte[] {1});
        write("back\\slash", new byte[] {2});
        Process p = new ProcessBuilder("sh", "-c", "printf x > \"$(printf 'bad\\377name')\"")
                .directory(root.toFile()).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        try (var s = Files.list(root)) {
            assertThat(s.count()).as("three entries on disk").isEqualTo(3);
        }

        assertThat(names(scanner().scan(index))).containsExactly("good");
    }

    @Test
    void scan_decomposedName_recordedAsNfcAndFoundByTargetedScan() throws IOException {
        String nfd = "e\u0301t\u0065\u0301.txt";
        Path file = write(nfd, new byte[] {1});
        scanAndCommit();
        assertThat(index.get("\u00e9t\u00e9.txt")).isNotNull();

        Files.write(file, new byte[] {1, 2});
        ScanResult r = scanner().scan(index, List.of("\u00e9t\u00e9.txt"));

        assertThat(names(r)).containsExactly("\u00e9t\u00e9.txt");
        assertThat(r.changes().get(0).deleted()).isFalse();
        assertThat(r.changes().get(0).size()).isEqualTo(2);
    }

    @Test
    void scan_fifo_skippedWithoutBlocking() throws Exception {
        Process p = new ProcessBuilder("mkfifo", root.resolve("pipe").toString()).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.exists(root.resolve("pipe"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        write("f", new byte[] {1});
        assertThat(names(scanner().scan(index))).containsExactly("f");
    }

    @Test
    void scan_missingRoot_throwsWithoutTombstones() throws IOException {
        write("a", new byte[] {1});
        scanAndCommit();
        Scanner gone = new Scanner(clock, executor, SELF, root.resolve("missing"), IgnoreMatcher.NONE);
        assertThatThrownBy(() -> gone.scan(index))
                .isInstanceOf(FolderUnavailableException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void scanNames_onlyGivenNamesAreChecked() throws IOException {
        write("a", new byte[] {1});
        write("b", new byte[] {1});
        scanAndCommit();
        write("a", new byte[] {2, 2});
        write("b", new byte[] {2, 2});
        assertThat(names(scanner().scan(index, List.of("a")))).containsExactly("a");
    }

    @Test
    void scanNames_deletedDirectory_tombstonesEverythingInside() throws IOException {
        write("d/x", new byte[] {1});
        write("d/y/z", new byte[] {2});
        write("dz", new byte[] {3});
        scanAndCommit();
        deleteTree(root.resolve("d"));
        Files.delete(root.resolve("dz"));

        ScanResult r = scanner().scan(index, List.of("d/"));

        assertThat(names(r)).containsExactly("d/y/z", "d/y", "d/x", "d");
        assertThat(r.changes()).allMatch(FileRecord::deleted);
    }

    @Test
    void scanNames_newFileInNewDirectories_recordsParentsFirst() throws IOException {
        write("n1/n2/f", new byte[] {1});
        assertThat(names(scanner().scan(index, List.of("n1/n2/f")))).containsExactly("n1", "n1/n2", "n1/n2/f");
    }

    @Test
    void scanNames_emptyName_scansWholeFolder() throws IOException {
        write("a", new byte[] {1});
        write("b/c", new byte[] {1});
        assertThat(names(scanner().scan(index, List.of("")))).containsExactly("a", "b", "b/c");
    }

    @Test
    void scanNames_ignoredName_leftAlone() throws IOException {
        write("x.log", new byte[] {1});
        scanAndCommit();
        Files.delete(root.resolve("x.log"));
        IgnoreMatcher logs = IgnoreMatcher.parse("test", List.of("*.log"));
        assertThat(scanner(logs).scan(index, List.of("x.log")).isEmpty()).isTrue();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
