package org.meshfold.api;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.meshfold.config.FolderConfig;
import org.meshfold.daemon.AddedFolder;
import org.meshfold.daemon.DeviceNode;
import org.meshfold.identity.DeviceId;
import org.meshfold.pairing.Invite;
import org.meshfold.pairing.PairingFailedException;
import org.meshfold.pairing.PairingOutcome;

/**
 * What the API may change on the running device; see {@link DeviceNode#invite},
 * {@link DeviceNode#join}, {@link DeviceNode#addLocalFolder} and {@link DeviceNode#removeDevice}
 * for the contracts.
 */
public interface DeviceControl {
    Invite invite(String folderIdOrPath, Duration ttl);

    PairingOutcome join(Invite invite, Path folder) throws PairingFailedException, IOException;

    AddedFolder addFolder(FolderConfig folder) throws IOException;

    boolean removeDevice(DeviceId device);

    /** The controls of a running device. */
    static DeviceControl of(DeviceNode node) {
        return new DeviceControl() {
            @Override
            public Invite invite(String folderIdOrPath, Duration ttl) {
                return node.invite(folderIdOrPath, ttl);
            }

            @Override
            public PairingOutcome join(Invite invite, Path folder) throws PairingFailedException, IOException {
                return node.join(invite, folder);
            }

            @Override
            public AddedFolder addFolder(FolderConfig folder) throws IOException {
                return node.addLocalFolder(folder);
            }

            @Override
            public boolean removeDevice(DeviceId device) {
                return node.removeDevice(device);
            }
        };
    }
}
