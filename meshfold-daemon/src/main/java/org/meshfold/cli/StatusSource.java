package org.meshfold.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import org.meshfold.api.ApiClient;
import org.meshfold.api.DaemonUnreachableException;
import org.meshfold.config.ConfigFile;
import org.meshfold.daemon.HomeStatus;
import org.meshfold.daemon.NodeStatus;

/**
 * Where status commands get their figures: from the home's daemon through its REST API when one
 * answers, else from the home's files (configuration and index), marked as not running.
 */
final class StatusSource {
    private StatusSource() {
    }

    static NodeStatus read(Path home, PrintWriter err) throws IOException {
        Optional<ApiClient> client = ApiClient.forHome(home);
        if (client.isPresent()) {
            try {
                return client.get().status();
            } catch (DaemonUnreachableException e) {
                err.println("meshfold: " + e.getMessage() + "; reading " + home + " directly");
                err.flush();
            }
        }
        return HomeStatus.read(home, ConfigFile.load(home));
    }
}
