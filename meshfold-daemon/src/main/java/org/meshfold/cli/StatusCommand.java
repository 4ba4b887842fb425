package org.meshfold.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.meshfold.api.Json;
import org.meshfold.daemon.NodeStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Shows this device, its folders and its paired devices, from the running daemon or the home. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show this device's folders (state, progress) and paired devices (connected, path, address). "
                + "Asks the running daemon; without one, reads the home.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Option(names = "--json", description = "Print JSON (field names are stable; see the README).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        NodeStatus status = StatusSource.read(home.resolve(), spec.commandLine().getErr());
        if (json) {
            out.println(Json.pretty(status));
        } else {
            StatusText.summary(status, out);
            out.println();
            StatusText.folders(status, out);
            out.println();
            StatusText.devices(status, out);
        }
        out.flush();
        return ExitCodes.OK;
    }
}
