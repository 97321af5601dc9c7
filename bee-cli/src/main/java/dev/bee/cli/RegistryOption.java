package dev.bee.cli;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.decode.TimeSpec;
import dev.bee.core.image.RegistryOptions;

import java.time.Duration;
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

    @Option(names = "--timeout", paramLabel = "TIME", defaultValue = "30s",
            description = "How long the registry may keep bee waiting for an answer or the next byte"
                    + " (default: ${DEFAULT-VALUE}); each request must also be done within TIME plus 1s per"
                    + " 256 KiB it may move (docs/images.md).")
    String timeout;

    RegistryOptions options() {
        Duration t = TimeSpec.parse(timeout);
        if (t.toMillis() < 100) {
            throw new BeeException(ErrorKind.USAGE, "--timeout " + timeout + ": at least 100ms", "for example --timeout 60s");
        }
        return new RegistryOptions(plainHttp, insecure, config, null, t);
    }
}
