package org.meshfold.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.meshfold.config.TurnServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code meshfold config set turn URL [--user U --password P]}: the TURN server this device may relay through. */
@Command(name = "turn", mixinStandardHelpOptions = true,
        description = "Relay through this TURN server (turn:HOST:PORT, optionally ?transport=udp|tcp) when no "
                + "direct path works. Without --user/--password, credentials come from a rendezvous server; "
                + "an empty URL (\"\") removes the setting.")
final class ConfigSetTurnCommand implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Parameters(paramLabel = "turn:HOST:PORT", description = "The TURN server's URL.")
    String url;

    @Option(names = "--user", paramLabel = "U", defaultValue = "", description = "Long-term TURN user name.")
    String user;

    @Option(names = "--password", paramLabel = "P", defaultValue = "", description = "Long-term TURN password.")
    String password;

    @Override
    public Integer call() {
        Optional<TurnServer> turn = url.isBlank() ? Optional.empty() : Optional.of(TurnServer.parse(url, user, password));
        String done = turn.map(t -> "TURN server: " + t).orElse("TURN server removed");
        ConfigEdit.apply(home.resolve(), c -> c.withRendezvous(c.rendezvous().withTurn(turn)), done);
        return ExitCodes.OK;
    }
}
