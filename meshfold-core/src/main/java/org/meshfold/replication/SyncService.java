package org.meshfold.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.meshfold.identity.DeviceId;
import org.meshfold.index.FileRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device-level sync logic the protocol layer reports to: routes each peer's messages to the
 * {@link FolderSync} of the folder they concern, and enforces folder membership. A device learns
 * about a folder only if it is a member: the cluster config sent to it lists only the folders
 * shared with it, and an index update or block request for any other folder closes the
 * connection. Thread-safe; callbacks return quickly (the folders post work to their loops).
 */
public final class SyncService implements PeerListener {
    private static final Logger log = LoggerFactory.getLogger(SyncService.class);

    private final Map<String, FolderSync> folders = new ConcurrentHashMap<>();
    private final Map<String, Set<DeviceId>> members = new ConcurrentHashMap<>();
    private final Map<DeviceId, Peer> connected = new ConcurrentHashMap<>();
    /** The last cluster config each connected peer sent, so a folder shared later can start at once. */
    private final Map<Peer, ClusterConfig> configs = new ConcurrentHashMap<>();

    /** Adds a folder shared with {@code memberDevices} (not including this device). */
    public void addFolder(FolderSync folder, Set<DeviceId> memberDevices) {
        folders.put(folder.folderId(), folder);
        members.put(folder.folderId(), Set.copyOf(memberDevices));
    }

    /**
     * Changes who shares {@code folderId}. Removed devices lose the folder at once (their records
     * are forgotten); connected devices that were added get a new cluster config.
     */
    public void setMembers(String folderId, Set<DeviceId> memberDevices) {
        FolderSync folder = folders.get(folderId);
        if (folder == null) {
            throw new IllegalArgumentException("unknown folder " + folderId);
        }
        Set<DeviceId> before = members.put(folderId, Set.copyOf(memberDevices));
        for (DeviceId removed : before == null ? Set.<DeviceId>of() : before) {
            if (!memberDevices.contains(removed)) {
                folder.peerRemoved(removed);
            }
        }
        for (DeviceId added : memberDevices) {
            Peer peer = connected.get(added);
            if (peer != null && (before == null || !before.contains(added))) {
                peer.sendClusterConfig(clusterConfigFor(added));
                ClusterConfig theirs = configs.get(peer);
                if (theirs != null) {
                    theirs.folders().stream().filter(f -> f.id().equals(folderId)).findFirst()
                            .ifPresent(f -> folder.peerConnected(peer, f));
                }
            }
        }
    }

    /** True if {@code device} is a member of {@code folderId}. */
    public boolean shares(String folderId, DeviceId device) {
        Set<DeviceId> m = members.get(folderId);
        return m != null && m.contains(device) && folders.containsKey(folderId);
    }

    @Override
    public void connected(Peer peer) {
        connected.put(peer.deviceId(), peer);
        peer.sendClusterConfig(clusterConfigFor(peer.deviceId()));
    }

    @Override
    public void clusterConfig(Peer peer, ClusterConfig config) {
        configs.put(peer, config);
        for (ClusterConfig.Folder f : config.folders()) {
            if (shares(f.id(), peer.deviceId())) {
                folders.get(f.id()).peerConnected(peer, f);
            } else {
                log.info("device {} offers folder {}, which is not shared with it here; ignoring",
                        peer.deviceId(), f.id());
            }
        }
    }

    @Override
    public void index(Peer peer, String folderId, List<FileRecord> records) {
        if (!shares(folderId, peer.deviceId())) {
            peer.close("sent an index for folder " + folderId + ", which is not shared with it");
            return;
        }
        folders.get(folderId).remoteIndex(peer, records);
    }

    @Override
    public CompletableFuture<byte[]> blockRequested(Peer peer, BlockRequest request) {
        if (!shares(request.folderId(), peer.deviceId())) {
            String reason = "requested a block of folder " + request.folderId() + ", which is not shared with it";
            peer.close(reason);
            return CompletableFuture.failedFuture(new BlockUnavailableException(request, "folder not shared"));
        }
        return folders.get(request.folderId()).serveBlock(request);
    }

    @Override
    public void disconnected(Peer peer, Throwable reason) {
        connected.remove(peer.deviceId(), peer);
        configs.remove(peer);
        if (reason != null) {
            log.info("device {} disconnected: {}", peer.deviceId(), reason.toString());
        }
        folders.values().forEach(f -> f.peerDisconnected(peer));
    }

    private ClusterConfig clusterConfigFor(DeviceId device) {
        List<ClusterConfig.Folder> shared = new ArrayList<>();
        for (FolderSync f : folders.values()) {
            if (shares(f.folderId(), device)) {
                shared.add(f.clusterConfigFor(device));
            }
        }
        return new ClusterConfig(shared);
    }
}
