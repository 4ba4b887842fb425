package org.meshfold.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code meshfold} command. */
@Command(name = "meshfold",
        mixinStandardHelpOptions = true,
        version = "meshfold 0.1.0",
        description = "Peer-to-peer, end-to-end encrypted folder sync between your devices.",
        subcommands = {InitCommand.class, IdCommand.class, InviteCommand.class, JoinCommand.class, StatusCommand.class,
            FoldersCommand.class, DevicesCommand.class,
            RunCommand.class, SyncCommand.class, RendezvousCommand.class, ConfigCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:internal error (a bug: please report it with the log)",
            "2:invalid input (arguments, device id, configuration)",
            "3:environment problem (JDK, Maven, file system permissions)",
            "4:a daemon is already running on this home",
            "5:pairing failed (code refused, expired or unused, inviter unreachable)",
            "6:not in sync before the timeout (sync: no paired device reachable, or still transferring)"})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("run")) {
            // From the first moment (most compilations happen in the first second), beside
            // start-up on the other core.
            Thread.ofPlatform().name("meshfold-jit-directives").daemon().start(JitDirectives::install);
        }
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new UserErrors());
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
