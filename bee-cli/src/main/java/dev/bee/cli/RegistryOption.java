package dev.bee.cli;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.Credentials;
import dev.bee.core.image.RegistryOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** How to reach registries: shared by push, pull, login, logout and run. */
final class RegistryOption {
    @Option(names = "--plain-http", description = "Talk to the registry over plain HTTP instead of HTTPS"
            + " (localhost and 127.0.0.0/8 fall back to it without this flag).")
    boolean plainHttp;

    @Option(names = "--insecure", description = "Skip TLS certificate verification (self-signed registries).")
    boolean insecure;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Credentials file (Docker config.json format) instead of ~/.bee/auth.json and Docker's.")
    Path config;

    @Option(names = {"-u", "--username"}, paramLabel = "USER",
            description = "Registry user for this command only (with -p; nothing is saved: see bee login).")
    String username;

    @Option(names = {"-p", "--password"}, paramLabel = "PASSWORD",
            description = "Password for -u (visible in the process list: prefer bee login --password-stdin).")
    String password;

    RegistryOptions options() {
        if ((username == null) != (password == null)) {
            throw new BeeException(ErrorKind.USAGE, "-u/--username and -p/--password go together",
                    "give both, or log in once with bee login SERVER");
        }
        return new RegistryOptions(plainHttp, insecure, config,
                username == null ? null : new Credentials.Credential(username, password));
    }
}
