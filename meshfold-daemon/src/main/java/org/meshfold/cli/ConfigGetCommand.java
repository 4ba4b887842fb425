package org.meshfold.cli;

import java.util.concurrent.Callable;
import org.meshfold.config.ConfigFile;
import org.meshfold.config.RendezvousConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code meshfold config get [rendezvous|turn]}: prints settings as {@code key: value} lines (no password). */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = "Print the rendezvous and TURN settings (or only KEY: rendezvous or turn).")
final class ConfigGetCommand implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Parameters(paramLabel = "KEY", arity = "0..1", description = "rendezvous or turn")
    String key;

    @Override
    public Integer call() {
        if (key != null && !key.equals("rendezvous") && !key.equals("turn")) {
            throw new IllegalArgumentException("unknown setting '" + key + "': use rendezvous or turn");
        }
        RendezvousConfig config = ConfigFile.load(home.resolve()).rendezvous();
        if (key == null || key.equals("rendezvous")) {
            System.out.println("rendezvous: " + String.join(",", config.servers().stream().map(Object::toString).toList()));
        }
        if (key == null || key.equals("turn")) {
            System.out.println("turn: " + config.turn().map(Object::toString).orElse(""));
        }
        return ExitCodes.OK;
    }
}
