package org.meshfold.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.meshfold.api.Json;
import org.meshfold.daemon.NodeStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Lists the folders with their state and progress. */
@Command(name = "folders", mixinStandardHelpOptions = true,
        description = "List folders: id, label, state, progress, path.")
final class FoldersCommand implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Option(names = "--json", description = "Print JSON: {\"folders\": [...]} (field names are stable; see the README).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        NodeStatus status = StatusSource.read(home.resolve(), spec.commandLine().getErr());
        if (json) {
            out.println(Json.pretty(Map.of("folders", status.folders())));
        } else {
            StatusText.folders(status, out);
        }
        out.flush();
        return ExitCodes.OK;
    }
}
