package org.meshfold.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code meshfold config}: shows or changes settings of the home's configuration. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Show or change this device's settings (rendezvous servers, TURN server).",
        subcommands = {ConfigGetCommand.class, ConfigSetCommand.class})
final class ConfigCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
