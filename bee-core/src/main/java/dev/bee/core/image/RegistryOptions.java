package dev.bee.core.image;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to talk to registries: {@code plainHttp} uses HTTP instead of HTTPS (loopback registries may
 * fall back to it without, see {@code RegistryTransport}), {@code insecure} skips TLS
 * certificate checks, {@code authFile} replaces the default credential files (bee's own
 * {@code auth.json}, then Docker's {@code config.json}) when not null, {@code login} are credentials given
 * for one command, and {@code timeout} bounds every wait for the registry.
 */
public record RegistryOptions(boolean plainHttp, boolean insecure, Path authFile, Credentials.Credential login,
                              Duration timeout) {
    /** How long a registry may keep bee waiting for an answer or for the next byte of a download. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final RegistryOptions DEFAULT = new RegistryOptions(false, false, null);

    public RegistryOptions {
        timeout = timeout == null || timeout.isZero() || timeout.isNegative() ? DEFAULT_TIMEOUT : timeout;
    }

    /** Credentials from the stored files only, the default timeout. */
    public RegistryOptions(boolean plainHttp, boolean insecure, Path authFile) {
        this(plainHttp, insecure, authFile, null, null);
    }

    /** The same with plain HTTP on or off. */
    public RegistryOptions withPlainHttp(boolean on) {
        return new RegistryOptions(on, insecure, authFile, login, timeout);
    }

    /** The same with credentials given for this command. */
    public RegistryOptions withLogin(Credentials.Credential given) {
        return new RegistryOptions(plainHttp, insecure, authFile, given, timeout);
    }
}
