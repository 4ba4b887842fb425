package org.meshfold.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.meshfold.api.ApiClient;
import org.meshfold.api.ApiRequestException;
import org.meshfold.api.DaemonUnreachableException;
import org.meshfold.config.ConfigFile;
import org.meshfold.config.NodeConfig;
import org.meshfold.daemon.HomeLock;
import org.meshfold.identity.DeviceId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * Revokes a paired device: it is removed from the configuration and from every folder, so it can
 * no longer connect and gets no further changes. A running daemon does it at once (closing the
 * device's connection); otherwise the home's configuration is edited.
 */
@Command(name = "remove", mixinStandardHelpOptions = true,
        description = "Revoke a paired device: it can no longer connect and gets no further changes. "
                + "Exit code 2 if the device is not paired.")
final class RemoveDeviceCommand implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Parameters(paramLabel = "DEVICE_ID", description = "The device's id (see 'meshfold devices').")
    String deviceId;

    @Override
    public Integer call() throws IOException {
        Path homeDir = home.resolve();
        DeviceId id = DeviceId.parse(deviceId);
        Optional<ApiClient> daemon = ApiClient.forHome(homeDir);
        if (daemon.isPresent()) {
            try {
                if (!daemon.get().removeDevice(id)) {
                    return notPaired(id);
                }
                System.out.println("removed device " + id + ": the running daemon disconnected it; it can no longer "
                        + "connect");
                return ExitCodes.OK;
            } catch (DaemonUnreachableException e) {
                System.err.println("meshfold: " + e.getMessage() + "; editing " + ConfigFile.path(homeDir) + " instead");
            } catch (ApiRequestException e) {
                System.err.println("meshfold: the daemon refused: " + e.getMessage());
                return ExitCodes.INVALID_INPUT;
            }
        }
        try (HomeLock lock = HomeLock.acquire(homeDir).orElseThrow(() -> new HomeLockedException(
                "a meshfold daemon holds " + homeDir + " but does not answer its API: stop it, then try again"))) {
            NodeConfig config = ConfigFile.load(homeDir);
            if (!config.knows(id)) {
                return notPaired(id);
            }
            ConfigFile.save(homeDir, config.withoutDevice(id));
        }
        System.out.println("removed device " + id + " from " + ConfigFile.path(homeDir) + ": it can no longer connect to this device");
        return ExitCodes.OK;
    }

    private static int notPaired(DeviceId id) {
        System.err.println("meshfold: device " + id + " is not paired with this device (see 'meshfold devices')");
        return ExitCodes.INVALID_INPUT;
    }
}
