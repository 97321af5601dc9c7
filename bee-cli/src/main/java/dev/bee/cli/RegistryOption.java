package dev.bee.cli;

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

    RegistryOptions options() {
        return new RegistryOptions(plainHttp, insecure, config);
    }
}
