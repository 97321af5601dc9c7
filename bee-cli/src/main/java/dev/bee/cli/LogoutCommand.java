package dev.bee.cli;

import dev.bee.core.image.Credentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code bee logout SERVER}: forget the saved credentials of a registry. */
@Command(name = "logout", header = "Remove the saved credentials of a registry.",
        description = "Remove the saved credentials of a registry.")
final class LogoutCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    RegistryOption registry;

    @Parameters(index = "0", paramLabel = "SERVER", description = "Registry host[:port].")
    String server;

    @Override
    public Integer call() {
        String host = Credentials.serverOf(server);
        Path file = Credentials.writeFile(registry.config);
        if (Credentials.remove(file, host)) {
            System.err.println("bee: logged out of " + host + " (removed from " + file + ")");
        } else {
            System.err.println("bee: not logged in to " + host + " (nothing in " + file + ")");
        }
        return 0;
    }
}
