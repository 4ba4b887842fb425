package org.meshfold.daemon;

import java.util.Arrays;
import java.util.List;
import org.meshfold.protocol.ConnectionQuality;

/**
 * What {@code meshfold status} and the REST API report about a device: its identity, whether its
 * daemon runs, and every folder and paired device. Field names are the stable JSON names (see the
 * README, "Status and scripting"); a field that is not known is null and left out of the JSON.
 *
 * @param deviceId      this device's id
 * @param deviceName    this device's name
 * @param daemonRunning true if the figures come from a running daemon
 * @param listenAddress where the daemon accepts connections (the configured address if it is not running)
 * @param apiAddress    {@code 127.0.0.1:PORT} of the daemon's REST API, if it runs
 * @param startedAt     when the daemon started (ISO-8601), if it runs
 * @param uptimeSeconds seconds since the daemon started, if it runs
 * @param rendezvous    the session with each configured rendezvous server, if the daemon runs
 */
public record NodeStatus(String deviceId, String deviceName, boolean daemonRunning, String listenAddress,
                         String apiAddress, String startedAt, Long uptimeSeconds, List<Folder> folders,
                         List<Device> devices, List<Rendezvous> rendezvous) {

    /** Folder states: {@code idle}, {@code scanning}, {@code syncing}, {@code waiting}; {@code stopped} without a daemon. */
    public static final List<String> FOLDER_STATES = List.of("idle", "scanning", "syncing", "waiting", "stopped");

    /** Connection qualities, best first: {@code excellent}, {@code good}, {@code poor}, {@code disconnected}. */
    public static final List<String> QUALITIES = Arrays.stream(ConnectionQuality.values()).map(ConnectionQuality::label)
            .toList();

    public NodeStatus {
        folders = List.copyOf(folders);
        devices = List.copyOf(devices);
        rendezvous = rendezvous == null ? null : List.copyOf(rendezvous);
    }

    /** A status without rendezvous sessions (no daemon: left out of the JSON). */
    public NodeStatus(String deviceId, String deviceName, boolean daemonRunning, String listenAddress,
                      String apiAddress, String startedAt, Long uptimeSeconds, List<Folder> folders,
                      List<Device> devices) {
        this(deviceId, deviceName, daemonRunning, listenAddress, apiAddress, startedAt, uptimeSeconds, folders,
                devices, null);
    }

    public NodeStatus withApiAddress(String address) {
        return new NodeStatus(deviceId, deviceName, daemonRunning, listenAddress, address, startedAt, uptimeSeconds,
                folders, devices, rendezvous);
    }

    /**
     * The session with one rendezvous server.
     *
     * @param url             the server's {@code mfr://} URL
     * @param connected       the session is open
     * @param observedAddress this device's address as the server sees it, while connected
     */
    public record Rendezvous(String url, boolean connected, String observedAddress) {
    }

    /**
     * One folder.
     *
     * @param state            one of {@link #FOLDER_STATES}
     * @param inSync           nothing is needed from connected devices (null without a daemon)
     * @param localFiles       regular files this device has in the folder (per the index)
     * @param localBytes       their total size
     * @param needFiles        names still to pull, in progress, waiting for a device or deferred
     * @param percentComplete  localFiles / (localFiles + needFiles), in percent, one decimal
     * @param connectedDevices devices sharing the folder that are connected
     * @param bytesDownloaded  verified block bytes received since the daemon started
     * @param bytesServed      block bytes sent since the daemon started
     * @param filesPulled      files put in place from other devices since the daemon started
     * @param conflicts        conflict copies made on this device since the daemon started
     * @param lastPulled       when pulled content was last put in place (ISO-8601)
     * @param peersInSync      connected devices that have announced exactly this device's versions
     * @param inSyncWithPeers  at least one device is connected, nothing is needed from connected
     *                         devices, none is being scanned, and every connected device holds the
     *                         same tree (it has taken this device's changes too)
     * @param needBytes        total size of the files still to pull or being pulled (whole files)
     * @param filesResumed     pulls since the daemon started that continued an interrupted transfer
     * @param bytesResumed     verified bytes those pulls kept from the interrupted attempts
     */
    public record Folder(String id, String label, String path, String state, Boolean inSync, Long localFiles,
                         Long localBytes, Integer needFiles, Double percentComplete, Integer connectedDevices,
                         Long bytesDownloaded, Long bytesServed, Long filesPulled, Long conflicts,
                         String lastPulled, Integer peersInSync, Boolean inSyncWithPeers, Long needBytes,
                         Long filesResumed, Long bytesResumed) {

        /** A folder without resumed-transfer counts (unknown, left out of the JSON). */
        public Folder(String id, String label, String path, String state, Boolean inSync, Long localFiles,
                      Long localBytes, Integer needFiles, Double percentComplete, Integer connectedDevices,
                      Long bytesDownloaded, Long bytesServed, Long filesPulled, Long conflicts, String lastPulled,
                      Integer peersInSync, Boolean inSyncWithPeers, Long needBytes) {
            this(id, label, path, state, inSync, localFiles, localBytes, needFiles, percentComplete, connectedDevices,
                    bytesDownloaded, bytesServed, filesPulled, conflicts, lastPulled, peersInSync, inSyncWithPeers,
                    needBytes, null, null);
        }

        /** A folder without the comparison with its peers (unknown, left out of the JSON). */
        public Folder(String id, String label, String path, String state, Boolean inSync, Long localFiles,
                      Long localBytes, Integer needFiles, Double percentComplete, Integer connectedDevices,
                      Long bytesDownloaded, Long bytesServed, Long filesPulled, Long conflicts, String lastPulled) {
            this(id, label, path, state, inSync, localFiles, localBytes, needFiles, percentComplete, connectedDevices,
                    bytesDownloaded, bytesServed, filesPulled, conflicts, lastPulled, null, null, null, null, null);
        }

        /** A folder without the size of what is still needed (unknown, left out of the JSON). */
        public Folder(String id, String label, String path, String state, Boolean inSync, Long localFiles,
                      Long localBytes, Integer needFiles, Double percentComplete, Integer connectedDevices,
                      Long bytesDownloaded, Long bytesServed, Long filesPulled, Long conflicts, String lastPulled,
                      Integer peersInSync, Boolean inSyncWithPeers) {
            this(id, label, path, state, inSync, localFiles, localBytes, needFiles, percentComplete, connectedDevices,
                    bytesDownloaded, bytesServed, filesPulled, conflicts, lastPulled, peersInSync, inSyncWithPeers,
                    null, null, null);
        }
    }

    /**
     * One paired device.
     *
     * @param connected           connected to this device now (false without a daemon)
     * @param path            {@code lan}, {@code direct} or {@code relayed}, while connected
     * @param address             the device's address on the current connection
     * @param connectedSince      when the current connection was established (ISO-8601)
     * @param lastSeen            now if connected, else when its last connection closed, since the daemon started
     * @param configuredAddresses where this device dials it (from the configuration)
     * @param folders             ids of the folders shared with it
     * @param rttMillis           smoothed round-trip time of the current connection, in milliseconds
     *                            (three decimals), once measured
     * @param inBytesPerSecond    bytes received per second over the last few seconds, while connected
     * @param outBytesPerSecond   bytes sent per second over the last few seconds, while connected
     * @param bytesIn             bytes received on the current connection (TLS records, handshake included)
     * @param bytesOut            bytes sent on the current connection, counted the same way
     * @param transport           {@code tcp} or {@code quic}: what carries the current connection
     * @param quality             one of {@link #QUALITIES}: {@code excellent} (round trip under 100 ms and
     *                            the device heard within 10 s), {@code good} (under 500 ms, within 30 s),
     *                            {@code poor}, or {@code disconnected}
     * @param lastActivity        when bytes last arrived from the device on the current connection (ISO-8601;
     *                            keepalive pings and their answers count)
     * @param reconnectAttempts   while not connected: dial attempts since it was last connected
     * @param nextAttempt         while not connected and being dialed: when the next attempt may start (ISO-8601)
     * @param downtimeMillis      while connected: how long the device was unreachable before this connection
     *                            (from the close of the previous one), if it had one since the daemon started
     */
    public record Device(String id, String name, boolean connected, String path, String address,
                         String connectedSince, String lastSeen, List<String> configuredAddresses,
                         List<String> folders, Double rttMillis, Long inBytesPerSecond, Long outBytesPerSecond,
                         Long bytesIn, Long bytesOut, String transport, String quality, String lastActivity,
                         Integer reconnectAttempts, String nextAttempt, Long downtimeMillis) {
        public Device {
            configuredAddresses = List.copyOf(configuredAddresses);
            folders = List.copyOf(folders);
        }

        /** A device without quality and reconnection figures (not known; left out of the JSON). */
        public Device(String id, String name, boolean connected, String path, String address,
                      String connectedSince, String lastSeen, List<String> configuredAddresses,
                      List<String> folders, Double rttMillis, Long inBytesPerSecond, Long outBytesPerSecond,
                      Long bytesIn, Long bytesOut, String transport) {
            this(id, name, connected, path, address, connectedSince, lastSeen, configuredAddresses, folders,
                    rttMillis, inBytesPerSecond, outBytesPerSecond, bytesIn, bytesOut, transport, null, null, null,
                    null, null);
        }

        /** A device without traffic figures (not connected, or not known; left out of the JSON). */
        public Device(String id, String name, boolean connected, String path, String address,
                      String connectedSince, String lastSeen, List<String> configuredAddresses, List<String> folders) {
            this(id, name, connected, path, address, connectedSince, lastSeen, configuredAddresses, folders,
                    null, null, null, null, null, null);
        }
    }

}
