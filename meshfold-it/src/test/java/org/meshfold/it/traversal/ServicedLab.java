package org.meshfold.it.traversal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.meshfold.it.natlab.NatLab;

/**
 * A NAT lab with its internet services running (coturn and a rendezvous server), for one test
 * class; homes and logs go to {@code dir}. {@link #start} skips the test class on a machine that
 * cannot build the lab.
 */
record ServicedLab(NatLab lab, LabServices services, Path dir) implements AutoCloseable {

    static ServicedLab start(String testName) {
        String missing = NatLab.unavailableReason().orElse(null);
        assumeTrue(missing == null, missing);
        assumeTrue(LabCoturn.installed(), "these tests need coturn (Debian package coturn)");
        Path dir = LabLogs.runDirectory(testName);
        NatLab lab = NatLab.create();
        try {
            return new ServicedLab(lab, LabServices.start(lab, dir.resolve("services")), dir);
        } catch (RuntimeException | Error e) {
            lab.close();
            throw e;
        }
    }

    @Override
    public void close() {
        services.close();
        lab.close();
    }
}
