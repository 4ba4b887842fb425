package org.meshfold.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.meshfold.config.RendezvousConfig;
import org.meshfold.discovery.rendezvous.RendezvousUrl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code meshfold config set rendezvous URL[,URL…]}: the rendezvous servers this device uses (all of them). */
@Command(name = "rendezvous", mixinStandardHelpOptions = true,
        description = "Use these rendezvous servers (comma-separated mfr://HOST:PORT/SERVER-ID URLs, as printed "
                + "by 'meshfold rendezvous'); an empty value (\"\") removes them all.")
final class ConfigSetRendezvousCommand implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Parameters(paramLabel = "URL[,URL…]", description = "Rendezvous server URLs.")
    String urls;

    @Override
    public Integer call() {
        List<RendezvousUrl> servers = RendezvousConfig.parseServers(urls);
        String done = servers.isEmpty() ? "rendezvous servers removed"
                : "rendezvous servers: " + String.join(", ", servers.stream().map(Object::toString).toList());
        ConfigEdit.apply(home.resolve(), c -> c.withRendezvous(c.rendezvous().withServers(servers)), done);
        return ExitCodes.OK;
    }
}
