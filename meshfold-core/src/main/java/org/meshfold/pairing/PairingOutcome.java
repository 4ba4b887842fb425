package org.meshfold.pairing;

import java.net.InetSocketAddress;
import java.util.Objects;
import org.meshfold.identity.DeviceId;

/**
 * The joiner's result of a successful pairing: the inviter accepted it into a folder.
 *
 * @param inviter     the inviting device, now paired with this one
 * @param folderId    the folder joined
 * @param folderLabel its display label
 * @param address     the inviter's address that answered; a good first address for the sync connection
 */
public record PairingOutcome(DeviceId inviter, String folderId, String folderLabel, InetSocketAddress address) {
    public PairingOutcome {
        Objects.requireNonNull(inviter, "inviter");
        Objects.requireNonNull(folderId, "folderId");
        Objects.requireNonNull(folderLabel, "folderLabel");
        Objects.requireNonNull(address, "address");
    }
}
