package org.meshfold.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.meshfold.config.ConfigStore;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;
import org.meshfold.identity.DeviceId;
import org.meshfold.identity.DeviceIdentity;
import org.meshfold.pairing.Invite;
import org.meshfold.pairing.PairingFailedException;
import org.meshfold.pairing.PairingOutcome;
import org.meshfold.pairing.PendingInvites;
import org.meshfold.protocol.PeerNetwork;
import org.meshfold.replication.SyncService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes to which devices and folders this device syncs with, while it runs: invites, pairings
 * answered and made, local folders added and devices removed. Each change is saved to the
 * configuration and applied at once (folder membership, running folders, dialing). The contracts
 * are those of the {@link DeviceNode} methods of the same names.
 *
 * <p>Threading: called from API threads and, for {@link #paired}, from network threads. Every
 * change of the configuration happens under one lock together with what it changes at run time,
 * so changes are serialized and none lands after {@link #close}; pairing itself (network I/O)
 * runs outside the lock.
 */
final class Membership {
    private static final Logger log = LoggerFactory.getLogger(Membership.class);

    private final DeviceIdentity identity;
    private final ConfigStore configs;
    private final PendingInvites invites;
    private final SyncService service;
    private final FolderSet folders;
    private final PeerNetwork network;
    private final Dialer dialer;
    private final Clock clock;
    /** Guards changes of the configuration together with what they change at run time. */
    private final Object changes = new Object();
    private boolean closed;

    /** Starts a punch to a device and completes when a path to it is proven. */
    private final java.util.function.Function<org.meshfold.identity.DeviceId,
            java.util.concurrent.CompletableFuture<Void>> reach;

    /** The proven path to a device over the shared UDP socket, if any. */
    private final java.util.function.Function<org.meshfold.identity.DeviceId,
            java.util.Optional<org.meshfold.connect.PathSwitch.Active>> paths;

    Membership(DeviceIdentity identity, ConfigStore configs, PendingInvites invites, SyncService service,
               FolderSet folders, PeerNetwork network, Dialer dialer, Clock clock,
               java.util.function.Function<org.meshfold.identity.DeviceId, java.util.concurrent.CompletableFuture<Void>> reach,
               java.util.function.Function<org.meshfold.identity.DeviceId,
                       java.util.Optional<org.meshfold.connect.PathSwitch.Active>> paths) {
        this.reach = reach;
        this.paths = paths;
        this.identity = identity;
        this.configs = configs;
        this.invites = invites;
        this.service = service;
        this.folders = folders;
        this.network = network;
        this.dialer = dialer;
        this.clock = clock;
    }

    Invite invite(String folderIdOrPath, Duration ttl) {
        FolderConfig folder = folders.find(folderIdOrPath);
        return invites.create(folder.id(), folder.label(), PairingSession.reachableAddresses(network.listenAddress()),
                PairingSession.inviteUrls(configs.current().rendezvous()), ttl);
    }

    /** A joiner proved its invite (on a network thread): it becomes a member of the folder now. */
    void paired(DeviceId joiner, String name, Invite invite) {
        String shown = name.isBlank() ? joiner.shortText() : name;
        synchronized (changes) {
            NodeConfig after = configs.update(c -> c.withMember(invite.folderId(), joiner, shown, List.of()));
            service.setMembers(invite.folderId(), after.folder(invite.folderId()).orElseThrow().devices());
        }
        log.info("paired with {} ({}) for folder {}", joiner, shown, invite.folderId());
    }

    PairingOutcome join(Invite invite, Path folderPath) throws PairingFailedException, IOException {
        Path dir = JoinTarget.check(folderPath, configs.current(), invite.folderId());
        PairingOutcome outcome;
        try {
            outcome = InviteJoiner.pair(network, identity, invite, configs.current().deviceName(), clock, reach);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PairingFailedException(PairingFailedException.Reason.BROKEN, "interrupted while pairing", e);
        }
        Files.createDirectories(dir);
        DeviceId inviter = outcome.inviter();
        synchronized (changes) {
            if (closed) {
                throw new IllegalStateException("this device is shutting down; the pairing with " + inviter
                        + " is not recorded");
            }
            boolean known = folders.contains(outcome.folderId());
            String name = configs.current().peer(inviter).map(p -> p.name()).orElse(inviter.shortText());
            NodeConfig after = configs.update(c -> (c.folder(outcome.folderId()).isPresent() ? c
                    : c.withFolder(new FolderConfig(outcome.folderId(), outcome.folderLabel(), dir, Set.of())))
                    .withMember(outcome.folderId(), inviter, name, InviteJoiner.dialable(outcome.address(), paths.apply(inviter))));
            FolderConfig folder = after.folder(outcome.folderId()).orElseThrow();
            if (known) {
                service.setMembers(folder.id(), folder.devices());
            } else {
                folders.add(folder);
                folders.start(folder.id());
            }
        }
        dialer.reset(inviter);
        log.info("joined folder {} ({}) of {} at {}, syncing into {}", outcome.folderId(), outcome.folderLabel(),
                inviter, outcome.address(), dir);
        return outcome;
    }

    AddedFolder addLocalFolder(FolderConfig folder) throws IOException {
        Path dir = LocalFolder.prepare(folder.path());
        LocalFolder.checkId(folder.id());
        FolderConfig added = new FolderConfig(folder.id(), folder.label(), dir, folder.devices());
        synchronized (changes) {
            if (closed) {
                throw new IllegalStateException("this device is shutting down; folder " + dir + " is not added");
            }
            NodeConfig config = configs.current();
            Optional<FolderConfig> same = config.folders().stream().filter(f -> f.path().equals(dir)).findFirst();
            if (same.isPresent()) {
                return new AddedFolder(same.get(), false);
            }
            config.folder(added.id()).ifPresent(other -> {
                throw new IllegalArgumentException("folder id " + other.id() + " is already used for " + other.path()
                        + " on this device: choose another id, or none for a new one");
            });
            configs.update(c -> c.withFolder(added));
            folders.add(added);
            folders.start(added.id());
        }
        log.info("added folder {} ({}) at {}", added.id(), added.label(), dir);
        return new AddedFolder(added, true);
    }

    boolean removeDevice(DeviceId device) {
        synchronized (changes) {
            if (!configs.current().knows(device)) {
                return false;
            }
            NodeConfig after = configs.update(c -> c.withoutDevice(device));
            for (FolderConfig f : after.folders()) {
                if (folders.contains(f.id())) {
                    service.setMembers(f.id(), f.devices());
                }
            }
        }
        network.connected(device).ifPresent(peer -> peer.close("this device was removed by its owner"));
        dialer.reset(device);
        log.info("removed device {}: it can no longer connect", device);
        return true;
    }

    /** Refuses further joins and added folders; waits for a change in progress to finish. */
    void close() {
        synchronized (changes) {
            closed = true;
        }
    }
}
