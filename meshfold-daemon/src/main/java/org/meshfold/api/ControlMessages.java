package org.meshfold.api;

import java.util.List;

/** The JSON bodies of the API's requests that change the device, and of their answers. */
public final class ControlMessages {
    private ControlMessages() {
    }

    /** {@code POST /rest/invites}: a folder id (or absolute path) and the code's lifetime (default 600 s). */
    public record InviteRequest(String folder, Long ttlSeconds) {
    }

    /** The invite made: its text code, expiry (ISO-8601) and the addresses it names ({@code host:port}). */
    public record InviteAnswer(String code, String folderId, String folderLabel, String expiresAt,
                               List<String> addresses) {
    }

    /** {@code POST /rest/join}: an {@code mf1:} code and the absolute directory to sync the folder into. */
    public record JoinRequest(String code, String path) {
    }

    /** The pairing made: the inviter's device id and answering address, the folder and where it syncs. */
    public record JoinAnswer(String inviter, String address, String folderId, String folderLabel, String path) {
    }

    /**
     * {@code POST /rest/folders}: the absolute directory of a folder of this device's own, with an
     * optional label (default: the directory's name) and id (default: a new random one).
     */
    public record AddFolderRequest(String path, String label, String id) {
    }

    /** The folder configured at that directory, and whether it was added by this request. */
    public record FolderAnswer(String id, String label, String path, boolean created) {
    }

    /**
     * An error answer. {@code reason} is set for refused codes and failed pairings: a reason of
     * {@link org.meshfold.pairing.InvalidInviteException.Reason} or
     * {@link org.meshfold.pairing.PairingFailedException.Reason}.
     */
    public record Error(String error, String reason) {
        public Error(String error) {
            this(error, null);
        }
    }
}
