package org.meshfold.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeHashTest {
    @TempDir
    Path dir;

    @Test
    void verify_linkedCopy_hasTheMastersHash() throws IOException {
        MasterData master = MasterData.generate(dir.resolve("master"), d -> Datasets.smallFiles(d, 30, 4));
        Path copy = Files.createDirectories(dir.resolve("copy"));

        master.linkInto(copy);

        assertThat(TreeHash.verify(copy, master.files(), p -> false)).isEqualTo(master.treeHash());
        assertThat(master.treeHash().files()).isEqualTo(30);
    }

    @Test
    void verify_changedByte_namesTheFile() throws IOException {
        Map<String, Datasets.Expected> expected = Datasets.smallFiles(dir, 5, 2);
        String victim = expected.keySet().iterator().next();
        byte[] content = Files.readAllBytes(dir.resolve(victim));
        content[0] ^= 1;
        Files.write(dir.resolve(victim), content);

        assertThatThrownBy(() -> TreeHash.verify(dir, expected, p -> false)).isInstanceOf(IOException.class)
                .hasMessageContaining(victim);
    }

    @Test
    void verify_unexpectedFile_fails() throws IOException {
        Map<String, Datasets.Expected> expected = Datasets.smallFiles(dir, 5, 2);
        Files.writeString(dir.resolve("stray.txt"), "x");

        assertThatThrownBy(() -> TreeHash.verify(dir, expected, p -> false)).hasMessageContaining("stray.txt");
    }

    @Test
    void verify_toolFiles_areLeftOut() throws IOException {
        Map<String, Datasets.Expected> expected = Datasets.smallFiles(dir, 5, 2);
        Files.createDirectories(dir.resolve(".stfolder"));
        Files.writeString(dir.resolve("dir-000/.syncthing.file-00000.bin.tmp"), "partial");

        assertThat(TreeHash.verify(dir, expected, SyncthingPair::isSyncthingFile)).isEqualTo(TreeHash.of(expected));
    }

    @Test
    void of_renamedFile_changesTheHash() {
        Datasets.Expected file = new Datasets.Expected(3, "abc");

        assertThat(TreeHash.of(Map.of("a", file))).isNotEqualTo(TreeHash.of(Map.of("b", file)));
    }

    @Test
    void mediumFiles_sizesAddUpToTheTotal() throws IOException {
        Map<String, Datasets.Expected> files = Datasets.mediumFiles(dir, 40, 3 << 20, 4);

        assertThat(files).hasSize(40);
        assertThat(files.values().stream().mapToLong(Datasets.Expected::size).sum()).isEqualTo(3 << 20);
        assertThat(TreeHash.verify(dir, files, p -> false).bytes()).isEqualTo(3 << 20);
    }
}
