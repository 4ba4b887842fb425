package org.meshfold.cli;

import java.util.concurrent.Callable;
import org.meshfold.identity.DeviceIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Prints this device's id (creating the identity on first use). */
@Command(name = "id", mixinStandardHelpOptions = true, description = "Print this device's id.")
final class IdCommand implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Override
    public Integer call() throws java.io.IOException {
        System.out.println(DeviceIdentity.loadOrCreate(home.resolve()).deviceId());
        return ExitCodes.OK;
    }
}
