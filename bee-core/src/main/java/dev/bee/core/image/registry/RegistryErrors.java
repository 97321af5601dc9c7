package dev.bee.core.image.registry;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * Turns what registries answer and what the JDK's HTTP client throws into one-line errors that say what
 * to do: a registry that is down, that answers 401/403/404/5xx, that speaks HTTP where HTTPS was tried.
 */
final class RegistryErrors {
    private RegistryErrors() {
    }

    /**
     * @param action what bee was doing, e.g. "pull localhost:5000/x:v1"
     * @param host   the registry's host and port
     * @param hadCredentials whether credentials were sent (401 then means they are wrong)
     */
    static BeeException of(RuntimeException e, String action, String host, boolean hadCredentials) {
        if (e instanceof BeeException be) {
            return be;
        }
        return ofTransport(rootCause(e), action, host, e);
    }

    static BeeException ofStatus(int status, String detail, String action, String host, boolean hadCredentials,
                                 Throwable cause) {
        String what = "cannot " + action + ": ";
        String more = detail == null || detail.isBlank() ? "" : " (" + detail + ")";
        return switch (status) {
            case 401 -> hadCredentials
                    ? new BeeException(ErrorKind.PERMISSION, what + host + " refused the credentials (401 unauthorized)"
                    + more, "log in again with 'bee login " + host + "' (wrong username or password?)", cause)
                    : new BeeException(ErrorKind.PERMISSION, what + host + " requires authentication (401 unauthorized)"
                    + more, "log in first: bee login " + host, cause);
            case 403 -> new BeeException(ErrorKind.PERMISSION, what + host + " denied access (403 forbidden)" + more,
                    "check that this account may read or write the repository", cause);
            case 404 -> new BeeException(ErrorKind.NOT_FOUND, what + "not found in " + host + " (404)" + more,
                    "check the repository name and tag; the registry has no such image", cause);
            case 429 -> new BeeException(ErrorKind.REGISTRY, what + host + " is rate-limiting requests (429)" + more,
                    "wait and try again, or log in for a higher limit", cause);
            default -> status >= 500
                    ? new BeeException(ErrorKind.REGISTRY, what + host + " failed with HTTP " + status + more,
                    "the registry has a problem; try again later", cause)
                    : new BeeException(ErrorKind.REGISTRY, what + host + " answered HTTP " + status + more, null, cause);
        };
    }

    private static BeeException ofTransport(Throwable root, String action, String host, Throwable cause) {
        String what = "cannot " + action + ": ";
        if (root instanceof ConnectException || root instanceof java.nio.channels.ClosedChannelException
                || hasCause(cause, ConnectException.class)) {
            return new BeeException(ErrorKind.REGISTRY, what + "registry " + host + " is unreachable (connection refused)",
                    "check that the registry is running and the host and port are right", cause);
        }
        if (root instanceof UnknownHostException) {
            return new BeeException(ErrorKind.REGISTRY, what + "unknown registry host " + host,
                    "check the name; references are [REGISTRY/]NAME[:TAG]", cause);
        }
        if (root instanceof SocketTimeoutException) {
            return new BeeException(ErrorKind.REGISTRY, what + "registry " + host + " did not answer in time",
                    "check the network and the registry", cause);
        }
        SSLException tls = firstCause(cause, SSLException.class);
        if (tls != null) {
            // An untrusted certificate is an SSLHandshakeException whose own cause is the certificate path's.
            return new BeeException(ErrorKind.REGISTRY, what + "TLS with " + host + " failed: " + tls.getMessage(),
                    "for a registry that speaks plain HTTP add --plain-http; to accept a self-signed certificate add"
                            + " --insecure", cause);
        }
        if (root instanceof IOException) {
            return new BeeException(ErrorKind.REGISTRY, what + "connection to " + host + " failed: "
                    + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage()),
                    "check that the registry is running; for plain HTTP add --plain-http", cause);
        }
        String msg = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        return new BeeException(ErrorKind.REGISTRY, what + msg, null, cause);
    }

    private static <T extends Throwable> T firstCause(Throwable t, Class<T> type) {
        for (Throwable cur = t; cur != null; cur = cur.getCause() == cur ? null : cur.getCause()) {
            if (type.isInstance(cur)) {
                return type.cast(cur);
            }
        }
        return null;
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable cur = t; cur != null; cur = cur.getCause() == cur ? null : cur.getCause()) {
            if (type.isInstance(cur)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable cur = t;
        while (cur.getCause() != null && cur.getCause() != cur) {
            cur = cur.getCause();
        }
        return cur;
    }
}
