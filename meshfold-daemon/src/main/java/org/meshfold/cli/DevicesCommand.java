package org.meshfold.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.meshfold.config.ConfigFile;
import org.meshfold.config.FolderConfig;
import org.meshfold.config.NodeConfig;
import org.meshfold.config.PeerConfig;
import org.meshfold.api.Json;
import org.meshfold.daemon.NodeStatus;
import org.meshfold.identity.DeviceId;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Lists paired devices (connected or not, when a daemon runs), adds one by id, or removes one. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List paired devices: id, name, connected, path type, address, round-trip time, "
                + "in/out rate, last seen, shared folders.",
        subcommands = {DevicesCommand.Add.class, RemoveDeviceCommand.class})
final class DevicesCommand implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Option(names = "--json", description = "Print JSON: {\"devices\": [...]} (field names are stable; see the README).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        NodeStatus status = StatusSource.read(home.resolve(), spec.commandLine().getErr());
        if (json) {
            out.println(Json.pretty(Map.of("devices", status.devices())));
        } else {
            StatusText.devices(status, out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Pairs a device by id and shares folders with it. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a device by its id and share folders with it.")
    static final class Add implements Callable<Integer> {
        @Mixin
        HomeOption home;

        @Parameters(paramLabel = "DEVICE_ID", description = "The other device's id (see 'meshfold id' there).")
        String deviceId;

        @Option(names = "--name", description = "A name for the device.")
        String name;

        @Option(names = "--address", paramLabel = "HOST:PORT", description = "Where the device listens (repeatable).")
        List<String> addresses = new ArrayList<>();

        @Option(names = "--folder", paramLabel = "ID|PATH", description = "Share this folder with the device (repeatable).")
        List<String> folders = new ArrayList<>();

        @Override
        public Integer call() {
            Path homeDir = home.resolve();
            NodeConfig config = ConfigFile.load(homeDir);
            DeviceId id = DeviceId.parse(deviceId);
            List<InetSocketAddress> parsed = new ArrayList<>();
            for (String a : addresses) {
                parsed.add(ConfigFile.address(a, ConfigFile.path(homeDir), "--address"));
            }
            config = config.withPeer(new PeerConfig(id, name != null ? name : id.shortText(), parsed));
            for (String f : folders) {
                config = config.withFolder(FolderArgument.find(config, f).withDevice(id));
            }
            ConfigFile.save(homeDir, config);
            System.out.println("added device " + id);
            return ExitCodes.OK;
        }
    }
}
