package dev.bee.core.image.registry;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.ImageRef;
import land.oras.ContainerRef;
import land.oras.auth.AuthStore;
import land.oras.auth.AuthStoreAuthenticationProvider;

import java.nio.file.Path;
import java.util.List;

/**
 * Credentials from Docker credential helpers ({@code credsStore}, {@code credHelpers} in the credential
 * files), which oras-java's {@link AuthStore} knows how to run; loaded only when a file names a helper.
 */
final class HelperCredentials {
    private HelperCredentials() {
    }

    /**
     * The Authorization header oras-java makes for {@code ref}'s registry from {@code files}, or null. A
     * helper that fails, or a file oras-java cannot read (it fails on a {@code credsStore} without
     * {@code auths}), is one clear error instead of the library's exception.
     */
    static String authorization(List<Path> files, ImageRef ref) {
        ContainerRef cref = ContainerRef.parse(ref.domain() + "/" + ref.path()
                + (ref.tag() != null ? ":" + ref.tag() : "") + (ref.digest() != null ? "@" + ref.digest() : ""));
        try {
            return new AuthStoreAuthenticationProvider(AuthStore.newStore(files)).getAuthHeader(cref);
        } catch (RuntimeException e) {
            String detail = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new BeeException(ErrorKind.ENVIRONMENT, "cannot get credentials for " + ref.domain()
                    + " from the credential helper named in " + files + ": " + detail,
                    "check its credsStore/credHelpers entries and that docker-credential-<helper> runs, "
                            + "or log in with bee login " + ref.domain(), e);
        }
    }
}
