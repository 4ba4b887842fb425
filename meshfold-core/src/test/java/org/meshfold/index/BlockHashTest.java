package org.meshfold.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class BlockHashTest {
    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);
    /** FIPS 180-2, appendix B.1. */
    private static final String ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void sha256OfASliceIsTheStandardDigest() {
        byte[] padded = "xxabcyy".getBytes(StandardCharsets.US_ASCII);

        assertThat(BlockHash.sha256(ABC, 0, 3).toString()).isEqualTo(ABC_SHA256);
        assertThat(BlockHash.sha256(padded, 2, 3).toString()).isEqualTo(ABC_SHA256);
    }

    @Test
    void eachHashOnAThreadStartsFromAnEmptyDigest() {
        BlockHash first = BlockHash.sha256(ABC, 0, 3);
        BlockHash.sha256(new byte[65536], 0, 65536);
        assertThatThrownBy(() -> BlockHash.sha256(ABC, 2, 5)).isInstanceOf(IllegalArgumentException.class);

        assertThat(BlockHash.sha256(ABC, 0, 3)).isEqualTo(first);
        assertThat(first.toString()).isEqualTo(ABC_SHA256);
    }

    @Test
    void threadsHashingAtOnceGetTheirOwnDigests() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                byte[] data = new byte[4096];
                data[0] = (byte) t;
                BlockHash expected = BlockHash.wrap(BlockHash.newDigest().digest(data));
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        if (!BlockHash.sha256(data, 0, data.length).equals(expected)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
