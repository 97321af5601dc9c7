package dev.bee.core.image.registry;

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

    /** The Authorization header oras-java makes for {@code ref}'s registry from {@code files}, or null. */
    static String authorization(List<Path> files, ImageRef ref) {
        ContainerRef cref = ContainerRef.parse(ref.domain() + "/" + ref.path()
                + (ref.tag() != null ? ":" + ref.tag() : "") + (ref.digest() != null ? "@" + ref.digest() : ""));
        return new AuthStoreAuthenticationProvider(AuthStore.newStore(files)).getAuthHeader(cref);
    }
}
