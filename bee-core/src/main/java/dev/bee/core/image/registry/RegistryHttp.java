package dev.bee.core.image.registry;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.ImageRef;
import dev.bee.core.image.RegistryOptions;
import dev.bee.core.io.JsonTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The HTTP of one conversation with a registry over the OCI distribution API: where requests go
 * ({@code https://}, or {@code http://} with plain HTTP; Docker Hub's API host for {@code docker.io}),
 * credentials (Basic on every request, as oras-java sent them; a registry that answers with a Bearer
 * challenge gets the token its realm gives for those credentials, and the token is used from then on),
 * redirects of downloads (followed, with the credentials only to the same origin), and time limits: no
 * answer, and no next byte of one, within the timeout ends the call with a registry error, as does an
 * upload the registry stops taking. Failures become the registry errors of {@link RegistryErrors}.
 */
final class RegistryHttp {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttp.class);
    /** The manifest types bee asks for (oras-java's list): OCI and Docker manifests and indexes. */
    static final String MANIFEST_ACCEPT = "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json,"
            + " application/vnd.oci.artifact.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json,"
            + " application/vnd.docker.distribution.manifest.v2+json";
    private static final String USER_AGENT = "bee";
    private static final int MAX_REDIRECTS = 10;

    private final RegistryOptions options;
    private final String base;
    private final Supplier<String> credentials;
    private final Deadline deadline;
    final String host;
    final boolean hasCredentials;
    private String basic;
    private boolean credentialsAsked;
    /** The last token a Bearer challenge got; sent instead of the credentials from then on. */
    private String bearer;

    /**
     * @param host        the registry as the user named it (in messages)
     * @param options     with plain HTTP already decided ({@link RegistryTransport#resolve})
     * @param credentials the Authorization header for the credentials (Basic), or null for none; asked once,
     *                    on the first request (a credential helper runs then)
     */
    RegistryHttp(String host, RegistryOptions options, Supplier<String> credentials, boolean hasCredentials) {
        this.host = host;
        this.options = options;
        this.base = (options.plainHttp() ? "http://" : "https://") + apiHost(host);
        this.credentials = credentials;
        this.hasCredentials = hasCredentials;
        this.deadline = new Deadline(options.timeout(), host);
    }

    /** Docker Hub's API lives on another host than its name. */
    static String apiHost(String host) {
        return host.equals(ImageRef.DOCKER_HUB) ? "registry-1.docker.io" : host;
    }

    /** A request body: its size, its type and its bytes (opened again if the request is sent again). */
    interface Upload {
        long size();

        InputStream open() throws IOException;
    }

    /** An answer: its status and headers, and its body (read or closed by the caller). */
    static final class Response implements AutoCloseable {
        final int status;
        private final HttpURLConnection connection;
        private final Deadline deadline;
        private final String action;

        Response(int status, HttpURLConnection connection, Deadline deadline, String action) {
            this.status = status;
            this.connection = connection;
            this.deadline = deadline;
            this.action = action;
        }

        String header(String name) {
            return connection.getHeaderField(name);
        }

        /** The body, whose reads end with the registry error for a stall when no byte comes within the timeout. */
        InputStream body() throws IOException {
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            return deadline.guard(in == null ? InputStream.nullInputStream() : in, action);
        }

        /** The whole body, at most {@code max} bytes (null when it is longer). */
        byte[] bytes(long max) throws IOException {
            try (InputStream in = body()) {
                byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
                return b.length > max ? null : b;
            }
        }

        /** Closes the body (the JDK keeps the connection for the next request when the rest of the body is short). */
        @Override
        public void close() {
            try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                // closed
            } catch (IOException e) {
                connection.disconnect();
            }
        }
    }

    /**
     * Sends {@code method} to {@code path} (under {@code /v2/}, or an absolute URL the registry gave) with
     * the credentials; GET and HEAD follow redirects. A status the registry answers is the caller's to judge.
     */
    Response send(String method, String path, Map<String, String> headers, Upload body, String action) {
        try {
            return sendOrThrow(method, path, headers, body, action);
        } catch (BeeException e) {
            throw e;
        } catch (SocketTimeoutException e) {
            throw deadline.stalled(action);
        } catch (IOException e) {
            throw RegistryErrors.of(new UncheckedIOException(e), action, host, hasCredentials);
        } catch (RuntimeException e) {
            // a credential helper that failed, through oras-java
            throw RegistryErrors.of(e, action, host, hasCredentials);
        }
    }

    private Response sendOrThrow(String method, String path, Map<String, String> headers, Upload body, String action)
            throws IOException {
        // A path under /v2/, or where the registry said to go next (an upload's location: absolute or not).
        URL url = new URL(new URL(base + "/"), path);
        Response r = exchange(method, url, headers, authorization(), body, action);
        if (r.status == 401 || r.status == 403) {
            // A token for what this request needs (a push needs more than the pull scope a first token had).
            Map<String, String> challenge = LoginCheck.bearerChallenge(r.header("WWW-Authenticate"));
            if (challenge != null && challenge.get("realm") != null) {
                r.close();
                bearer = token(challenge, action);
                r = exchange(method, url, headers, authorization(), body, action);
            }
        }
        return follow(method, url, headers, r, authorization(), action);
    }

    /** {@code send}, failing unless the registry answers with {@code ok}. */
    Response expect(String method, String path, Map<String, String> headers, Upload body, String action, int... ok) {
        Response r = send(method, path, headers, body, action);
        for (int s : ok) {
            if (r.status == s) {
                return r;
            }
        }
        r.close();
        throw failure(r.status, action);
    }

    BeeException failure(int status, String action) {
        return RegistryErrors.ofStatus(status, null, action, host, hasCredentials, null);
    }

    /** What requests to the registry carry: the token once there is one, else the credentials. */
    private String authorization() {
        return bearer != null ? "Bearer " + bearer : credentials();
    }

    /** The credentials' Authorization header (the token service always gets these), or null for none. */
    private String credentials() {
        if (!credentialsAsked) {
            credentialsAsked = true;
            basic = credentials == null ? null : credentials.get();
        }
        return basic;
    }

    /** A redirect of a download, followed; the credentials go along only to the same scheme, host and port. */
    private Response follow(String method, URL url, Map<String, String> headers, Response r, String auth, String action)
            throws IOException {
        for (int hops = 0; isRedirect(r.status) && (method.equals("GET") || method.equals("HEAD")); hops++) {
            String location = r.header("Location");
            if (location == null || hops == MAX_REDIRECTS) {
                return r;
            }
            r.close();
            URL next = new URL(url, location);
            boolean sameOrigin = next.getProtocol().equalsIgnoreCase(url.getProtocol())
                    && next.getHost().equalsIgnoreCase(url.getHost()) && port(next) == port(url);
            LOG.debug("{} redirected to {}", url, next);
            r = exchange(method, next, headers, sameOrigin ? auth : null, null, action);
            url = next;
        }
        return r;
    }

    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static int port(URL u) {
        return u.getPort() >= 0 ? u.getPort() : u.getDefaultPort();
    }

    /** The token the challenge's realm gives for its service and scope, asked with the credentials. */
    private String token(Map<String, String> challenge, String action) throws IOException {
        String realm = challenge.get("realm");
        StringBuilder url = new StringBuilder(realm);
        char sep = realm.contains("?") ? '&' : '?';
        for (String p : new String[]{"scope", "service"}) {
            if (challenge.get(p) != null) {
                url.append(sep).append(p).append('=').append(URLEncoder.encode(challenge.get(p), StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        URL tokenUrl = new URL(url.toString());
        Map<String, String> accept = Map.of("Accept", "application/json");
        Response r = follow("GET", tokenUrl, accept, exchange("GET", tokenUrl, accept, credentials(), null, action),
                credentials(), action);
        try (r) {
            if (r.status != 200) {
                throw failure(r.status, action);
            }
            byte[] body = r.bytes(1 << 20);
            Object json = body == null ? null : JsonTree.parse(body);
            String token = JsonTree.text(JsonTree.get(json, "token"), null);
            if (token == null || token.isEmpty()) {
                token = JsonTree.text(JsonTree.get(json, "access_token"), null);
            }
            if (token == null || token.isEmpty()) {
                throw new BeeException(ErrorKind.REGISTRY, "cannot " + action + ": the token service of " + host
                        + " (" + realm + ") sent no token");
            }
            return token;
        }
    }

    private Response exchange(String method, URL url, Map<String, String> headers, String auth, Upload body,
                              String action) throws IOException {
        HttpURLConnection c = HttpClients.open(url, options, options.timeout(), options.timeout());
        c.setRequestMethod(method);
        headers.forEach(c::setRequestProperty);
        c.setRequestProperty("User-Agent", USER_AGENT);
        if (auth != null) {
            c.setRequestProperty("Authorization", auth);
        }
        LOG.debug("{} {}", method, url);
        if (body != null || method.equals("POST") || method.equals("PUT")) {
            long size = body == null ? 0 : body.size();
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(size);
            try (OutputStream out = deadline.watch(c.getOutputStream(), c, action)) {
                if (body != null) {
                    try (InputStream in = body.open()) {
                        in.transferTo(out);
                    }
                }
            }
        }
        int status = c.getResponseCode();
        LOG.debug("{} {}: {}", method, url, status);
        return new Response(status, c, deadline, action);
    }

    /** The media type of an answer, without its parameters; null when none is given. */
    static String mediaType(Response r) {
        String t = r.header("Content-Type");
        if (t == null) {
            return null;
        }
        int semi = t.indexOf(';');
        return (semi < 0 ? t : t.substring(0, semi)).trim();
    }
}
