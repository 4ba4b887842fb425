package org.meshfold.it.traversal;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.meshfold.it.natlab.NatLab;

/**
 * The lab's internet services on two public hosts: coturn on {@code turn} and a rendezvous server
 * on {@code rendezvous} that hands out credentials for it. Either can be stopped and started again
 * at the same address (and, for the rendezvous server, the same URL).
 */
final class LabServices implements AutoCloseable {
    private final LabCoturn turn;
    private final LabRendezvous rendezvous;

    private LabServices(LabCoturn turn, LabRendezvous rendezvous) {
        this.turn = turn;
        this.rendezvous = rendezvous;
    }

    /** Starts both on new public hosts of {@code lab}; their files and logs go under {@code dir}. */
    static LabServices start(NatLab lab, Path dir) {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String secret = HexFormat.of().formatHex(random);
        LabCoturn turn = LabCoturn.start(lab.publicHost("turn"), secret, dir.resolve("coturn"));
        try {
            return new LabServices(turn, LabRendezvous.start(lab.publicHost("rendezvous"), turn, dir.resolve("rendezvous")));
        } catch (RuntimeException | Error e) {
            turn.close();
            throw e;
        }
    }

    LabCoturn turn() {
        return turn;
    }

    LabRendezvous rendezvous() {
        return rendezvous;
    }

    /** The last lines of both services' logs, for a failure message. */
    String logTails(int lines) {
        return "--- coturn (" + turn.log() + ")\n" + LabLogs.tail(turn.log(), lines)
                + "\n--- rendezvous (" + rendezvous.log() + ")\n" + LabLogs.tail(rendezvous.log(), lines);
    }

    @Override
    public void close() {
        rendezvous.close();
        turn.close();
    }
}
