package org.meshfold.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --home} option shared by every command (default: $MESHFOLD_HOME or ~/.config/meshfold). */
final class HomeOption {
    @Option(names = "--home", paramLabel = "DIR",
            description = "meshfold home (identity, index, configuration). Default: $MESHFOLD_HOME or ~/.config/meshfold")
    Path home;

    Path resolve() {
        if (home != null) {
            return home.toAbsolutePath().normalize();
        }
        String env = System.getenv("MESHFOLD_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("user.home"), ".config", "meshfold");
    }
}
