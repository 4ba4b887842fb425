package org.meshfold.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.meshfold.api.ApiServer;
import org.meshfold.config.ConfigFile;
import org.meshfold.config.NodeConfig;
import org.meshfold.daemon.DeviceNode;
import org.meshfold.daemon.HomeLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the daemon in the foreground until SIGTERM/SIGINT, then shuts down cleanly. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the sync daemon in the foreground: keeps every folder in sync with paired devices.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Override the listen address from the configuration.")
    String listen;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path homeDir = home.resolve();
        NodeConfig config = ConfigFile.load(homeDir);
        if (listen != null) {
            config = config.withListen(ConfigFile.address(listen, ConfigFile.path(homeDir), "--listen"));
        }
        if (config.folders().isEmpty()) {
            throw new IllegalArgumentException("no folders configured in " + homeDir + ": run 'meshfold init FOLDER' first");
        }
        Logging.addFileLog(homeDir.resolve("meshfold.log"));
        HomeLock lock = HomeLock.acquire(homeDir)
                .orElseThrow(() -> new HomeLockedException("another meshfold daemon is already running on " + homeDir
                        + " (stop it first, or use --home for a different device home)"));
        CountDownLatch stopped = new CountDownLatch(1);
        DeviceNode node = DeviceNode.start(homeDir, config, Clock.systemUTC());
        ApiServer api;
        try {
            api = ApiServer.start(homeDir, node, ApiServer.DEFAULT_PORT);
        } catch (IOException | RuntimeException e) {
            node.close();
            lock.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.close();
            node.close();
            lock.close();
            stopped.countDown();
        }, "meshfold-shutdown"));
        System.out.println("meshfold running: device " + node.deviceId() + " listening on " + node.listenAddress()
                + ", api on " + api.url());
        System.out.flush();
        stopped.await();
        return ExitCodes.OK;
    }
}
