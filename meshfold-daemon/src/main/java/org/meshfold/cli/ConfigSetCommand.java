package org.meshfold.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code meshfold config set}: groups the commands that change one setting each. */
@Command(name = "set", mixinStandardHelpOptions = true, description = "Change a setting.",
        subcommands = {ConfigSetRendezvousCommand.class, ConfigSetTurnCommand.class})
final class ConfigSetCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
