package dev.bee.core.image;

import java.nio.file.Path;

/**
 * How to talk to registries: {@code plainHttp} uses HTTP instead of HTTPS (loopback registries may
 * fall back to it without, see {@code RegistryTransport}), {@code insecure} skips TLS
 * certificate checks, {@code authFile} replaces the default credential files (bee's own
 * {@code auth.json}, then Docker's {@code config.json}) when not null.
 */
public record RegistryOptions(boolean plainHttp, boolean insecure, Path authFile, Credentials.Credential login) {
    public static final RegistryOptions DEFAULT = new RegistryOptions(false, false, null);

    /** Credentials from the stored files only. */
    public RegistryOptions(boolean plainHttp, boolean insecure, Path authFile) {
        this(plainHttp, insecure, authFile, null);
    }

    /** The same with plain HTTP on or off. */
    public RegistryOptions withPlainHttp(boolean on) {
        return new RegistryOptions(on, insecure, authFile, login);
    }
}
