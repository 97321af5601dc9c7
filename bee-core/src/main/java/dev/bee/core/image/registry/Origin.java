package dev.bee.core.image.registry;

import java.net.URL;
import java.util.Locale;

/**
 * The scheme, host and port of a URL: where credentials may go is decided by origin, the registry's own
 * or its token service's, never by the previous hop of a redirect and never by the host alone (the same
 * host over plain HTTP, or on another port, is another origin).
 */
record Origin(String scheme, String host, int port) {
    static Origin of(URL u) {
        return new Origin(u.getProtocol().toLowerCase(Locale.ROOT), u.getHost().toLowerCase(Locale.ROOT),
                u.getPort() >= 0 ? u.getPort() : u.getDefaultPort());
    }

    /** Whether {@code u} is on this origin. */
    boolean holds(URL u) {
        return equals(of(u));
    }

    boolean plainHttp() {
        return scheme.equals("http");
    }
}
