package dev.bee.core.image.container;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.RegistryAuthenticationFailedException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException;
import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;

/**
 * Turns what Jib throws into one-line errors that say what to do: a base image that does not exist,
 * a registry that is down, refuses the credentials or speaks plain HTTP, a folder bee cannot write.
 */
final class JibErrors {
    private JibErrors() {
    }

    /**
     * @param e      what Jib threw
     * @param action what bee was doing, e.g. "package localhost:5000/x:v1"
     * @param base    the base image reference (named in "not found" errors)
     * @param timeout how long a registry may keep bee waiting (--timeout)
     */
    static BeeException of(Throwable e, String action, String base, Duration timeout) {
        Throwable t = e;
        while (t instanceof ExecutionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof BeeException be) {
            return be;
        }
        String what = "cannot " + action + ": ";
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : plain(firstLine(t.getMessage()));
        if (has(t, SocketTimeoutException.class)) {
            String limit = timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + "s" : timeout.toMillis() + "ms";
            return new BeeException(ErrorKind.REGISTRY, what + "a registry sent nothing for " + limit + " (" + message + ")",
                    "the registry stalls; try again later, or wait longer with --timeout TIME", e);
        }
        if (t instanceof InsecureRegistryException || has(t, SSLException.class)) {
            return new BeeException(ErrorKind.REGISTRY, what + "the registry does not speak HTTPS with a trusted certificate ("
                    + message + ")", "for a registry that speaks plain HTTP add --plain-http; to accept a self-signed"
                    + " certificate add --insecure", e);
        }
        if (t instanceof RegistryCredentialsNotSentException) {
            return new BeeException(ErrorKind.REGISTRY, what + message,
                    "credentials go over plain HTTP only with --plain-http; or use HTTPS", e);
        }
        if (t instanceof RegistryUnauthorizedException u) {
            return new BeeException(ErrorKind.REGISTRY, what + host(u.getImageReference()) + " refused access to "
                    + u.getImageReference() + " (" + message + ")",
                    "log in with 'bee login " + host(u.getImageReference()) + "'; check that this account may read"
                            + " the base and write the image", e);
        }
        if (t instanceof RegistryAuthenticationFailedException a) {
            return new BeeException(ErrorKind.REGISTRY, what + "authentication with " + a.getServerUrl() + " failed ("
                    + message + ")", "log in again with 'bee login " + a.getServerUrl() + "'", e);
        }
        if (has(t, ConnectException.class)) {
            return new BeeException(ErrorKind.REGISTRY, what + "a registry is unreachable (" + message + ")",
                    "check that the registry is running and the host and port are right", e);
        }
        if (has(t, UnknownHostException.class)) {
            return new BeeException(ErrorKind.REGISTRY, what + "unknown registry host (" + message + ")",
                    "check the name; references are [REGISTRY/]NAME[:TAG]", e);
        }
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("manifest unknown") || lower.contains("name unknown") || lower.contains("not found")) {
            return new BeeException(ErrorKind.NOT_FOUND, what + "the base image " + base + " was not found (" + message + ")",
                    "push a base image (a Java runtime with libbpf; see docs/packaging.md) or fix --base", e);
        }
        if (t instanceof CacheDirectoryCreationException) {
            return new BeeException(ErrorKind.WRITE, what + "cannot write Jib's cache folder (" + message + ")",
                    "set BEE_HOME (or --config-dir) to a writable folder", e);
        }
        if (t instanceof IOException) {
            // Jib reads only what bee gave it (checked before) and the base image over HTTP: a local
            // IOException is a write to its cache or the output.
            return new BeeException(ErrorKind.WRITE, what + "cannot write (" + message + ")",
                    "check the output path and free space; -v shows more", e);
        }
        if (t instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new BeeException(ErrorKind.INTERNAL, what + "interrupted", null, e);
        }
        return new BeeException(ErrorKind.REGISTRY, what + message, "run again with -v for Jib's log", e);
    }

    private static boolean has(Throwable t, Class<? extends Throwable> type) {
        for (Throwable cur = t; cur != null; cur = cur.getCause() == cur ? null : cur.getCause()) {
            if (type.isInstance(cur)) {
                return true;
            }
        }
        return false;
    }

    private static String host(String reference) {
        int slash = reference == null ? -1 : reference.indexOf('/');
        return slash < 0 ? String.valueOf(reference) : reference.substring(0, slash);
    }

    /** {@code s} without terminal escape sequences (Jib colours some messages) or other control characters. */
    static String plain(String s) {
        return s.replaceAll("\u001B\\[[0-9;?]*[ -/]*[@-~]", "").replaceAll("\\p{Cntrl}", "");
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse(s).trim();
    }
}
