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
import java.net.MalformedURLException;
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
 * redirects of downloads (followed), and time limits. Credentials and tokens go only to the registry's own
 * origin (scheme, host and port), and the credentials also to the token service its challenge names; never
 * to another origin, at any hop of a redirect, and never over plain HTTP unless the registry itself is
 * reached over plain HTTP. Time limits ({@link Deadline}): no answer, and no next byte of one, within the
 * timeout ends the call with a registry error, as does an upload the registry stops taking, and each
 * request has an overall bound that follows from the bytes it may move. Failures become the registry
 * errors of {@link RegistryErrors}.
 */
final class RegistryHttp {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttp.class);
    /** The manifest types bee asks for (oras-java's list): OCI and Docker manifests and indexes. */
    static final String MANIFEST_ACCEPT = "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json,"
            + " application/vnd.oci.artifact.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json,"
            + " application/vnd.docker.distribution.manifest.v2+json";
    private static final String USER_AGENT = "bee";
    private static final int MAX_REDIRECTS = 10;
    /** The most bee reads of an answer whose body it does not use (status and headers only): its bound's size. */
    static final long NO_BODY = 64 << 10;
    /** The most bee reads of a token service's answer. */
    private static final long MAX_TOKEN = 1 << 20;

    private final RegistryOptions options;
    private final String base;
    /** The registry's origin: the only one its credentials and tokens go to, besides its token service. */
    private final Origin origin;
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
        try {
            this.origin = Origin.of(new URL(base));
        } catch (MalformedURLException e) {
            throw new BeeException(ErrorKind.USAGE, "not a registry host: " + host, "references are [REGISTRY/]NAME[:TAG]");
        }
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
        private final Deadline.Bound bound;
        private final String action;

        Response(int status, HttpURLConnection connection, Deadline deadline, Deadline.Bound bound, String action) {
            this.status = status;
            this.connection = connection;
            this.deadline = deadline;
            this.bound = bound;
            this.action = action;
        }

        String header(String name) {
            return connection.getHeaderField(name);
        }

        /**
         * The body, whose reads end with the registry error for a stall when no byte comes within the timeout,
         * or for the request's overall bound once it is past.
         */
        InputStream body() throws IOException {
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            return deadline.guard(in == null ? InputStream.nullInputStream() : in, bound, action);
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
            bound.close();
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
     * {@code limit} is the most bee reads of the answer's body ({@link #NO_BODY} when it reads none): with
     * the upload's size it sets each request's overall time bound.
     */
    Response send(String method, String path, Map<String, String> headers, Upload body, long limit, String action) {
        try {
            return sendOrThrow(method, path, headers, body, limit, action);
        } catch (BeeException e) {
            throw e;
        } catch (SocketTimeoutException e) {
            throw deadline.stalled(action);
        } catch (IOException e) {
            throw RegistryErrors.of(new UncheckedIOException(e), action, host, hasCredentials);
        } catch (RuntimeException e) {
            // a credential helper that failed (HelperCredentials)
            throw RegistryErrors.of(e, action, host, hasCredentials);
        }
    }

    private Response sendOrThrow(String method, String path, Map<String, String> headers, Upload body, long limit,
                                 String action) throws IOException {
        // A path under /v2/, or where the registry said to go next (an upload's location: absolute or not).
        URL url = new URL(new URL(base + "/"), path);
        Response r = exchange(method, url, headers, authorizationFor(url), body, limit, action);
        if (r.status == 401 || r.status == 403) {
            // A token for what this request needs (a push needs more than the pull scope a first token had).
            Map<String, String> challenge = LoginCheck.bearerChallenge(r.header("WWW-Authenticate"));
            if (challenge != null && challenge.get("realm") != null) {
                r.close();
                bearer = token(challenge, action);
                r = exchange(method, url, headers, authorizationFor(url), body, limit, action);
            }
        }
        return follow(method, url, headers, r, origin, authorizationFor(url), limit, action);
    }

    /** {@code send}, failing unless the registry answers with {@code ok}. */
    Response expect(String method, String path, Map<String, String> headers, Upload body, long limit, String action,
                    int... ok) {
        Response r = send(method, path, headers, body, limit, action);
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

    /**
     * What a request to {@code url} carries: on the registry's origin the token once there is one, else the
     * credentials; elsewhere (an upload location on another host) nothing.
     */
    private String authorizationFor(URL url) {
        if (!origin.holds(url)) {
            return null;
        }
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

    /**
     * A redirect of a download, followed; {@code auth} goes along only to a hop on {@code trusted}, the origin
     * it is meant for (the registry's, or its token service's), whatever the hops before it were.
     */
    private Response follow(String method, URL url, Map<String, String> headers, Response r, Origin trusted,
                            String auth, long limit, String action) throws IOException {
        for (int hops = 0; isRedirect(r.status) && (method.equals("GET") || method.equals("HEAD")); hops++) {
            String location = r.header("Location");
            if (location == null || hops == MAX_REDIRECTS) {
                return r;
            }
            r.close();
            URL next = new URL(url, location);
            LOG.debug("{} redirected to {}", url, next);
            r = exchange(method, next, headers, trusted.holds(next) ? auth : null, null, limit, action);
            url = next;
        }
        return r;
    }

    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /**
     * The token service {@code realm} of {@code host}'s Bearer challenge, as a URL: http or https, and plain
     * HTTP only for a registry that is itself reached over plain HTTP when credentials would go along (they
     * would cross the network in clear text, which the registry's TLS is there to prevent).
     */
    static URL realm(String realm, Origin registry, boolean withCredentials, String host, String action) {
        URL u;
        try {
            u = new URL(realm);
        } catch (MalformedURLException e) {
            u = null;
        }
        if (u == null || !(u.getProtocol().equals("https") || u.getProtocol().equals("http")) || u.getHost().isEmpty()) {
            throw new BeeException(ErrorKind.REGISTRY, "cannot " + action + ": " + host
                    + " names a token service that is not an http(s) URL",
                    "the registry's authentication is misconfigured; tell its operator");
        }
        Origin service = Origin.of(u);
        if (withCredentials && service.plainHttp() && !registry.plainHttp()) {
            throw new BeeException(ErrorKind.REGISTRY, "cannot " + action + ": " + host + " (HTTPS) names a token"
                    + " service over plain HTTP (http://" + service.host() + ":" + service.port() + "); bee does not"
                    + " send credentials in clear text",
                    "the registry's token service must use https://; tell its operator");
        }
        return u;
    }

    /** The token the challenge's realm gives for its service and scope, asked with the credentials. */
    private String token(Map<String, String> challenge, String action) throws IOException {
        String realm = challenge.get("realm");
        String basic = credentials();
        URL service = realm(realm, origin, basic != null, host, action);
        StringBuilder url = new StringBuilder(service.toString());
        char sep = realm.contains("?") ? '&' : '?';
        for (String p : new String[]{"scope", "service"}) {
            if (challenge.get(p) != null) {
                url.append(sep).append(p).append('=').append(URLEncoder.encode(challenge.get(p), StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        URL tokenUrl = new URL(url.toString());
        Map<String, String> accept = Map.of("Accept", "application/json");
        Response r = follow("GET", tokenUrl, accept, exchange("GET", tokenUrl, accept, basic, null, MAX_TOKEN, action),
                Origin.of(service), basic, MAX_TOKEN, action);
        try (r) {
            if (r.status != 200) {
                throw failure(r.status, action);
            }
            byte[] body = r.bytes(MAX_TOKEN);
            Object json = body == null ? null : JsonTree.parse(body);
            String token = JsonTree.text(JsonTree.get(json, "token"), null);
            if (token == null || token.isEmpty()) {
                token = JsonTree.text(JsonTree.get(json, "access_token"), null);
            }
            if (token == null || token.isEmpty()) {
                throw new BeeException(ErrorKind.REGISTRY, "cannot " + action + ": the token service of " + host
                        + " (" + service.getProtocol() + "://" + service.getAuthority() + ") sent no token");
            }
            return token;
        }
    }

    private Response exchange(String method, URL url, Map<String, String> headers, String auth, Upload body,
                              long limit, String action) throws IOException {
        HttpURLConnection c = HttpClients.open(url, options, options.timeout(), options.timeout());
        c.setRequestMethod(method);
        headers.forEach(c::setRequestProperty);
        c.setRequestProperty("User-Agent", USER_AGENT);
        if (auth != null) {
            c.setRequestProperty("Authorization", auth);
        }
        LOG.debug("{} {}", method, url);
        long size = body == null ? 0 : body.size();
        Deadline.Bound bound = deadline.start(c, size, limit, action);
        try {
            if (body != null || method.equals("POST") || method.equals("PUT")) {
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
            if (bound.fired()) {
                // the JDK gives the status line's code although the watchdog cut the headers after it
                throw bound.overdue();
            }
            bound.answered(c.getContentLengthLong());
            LOG.debug("{} {}: {}", method, url, status);
            return new Response(status, c, deadline, bound, action);
        } catch (IOException | RuntimeException e) {
            bound.close();
            if (bound.fired()) {
                throw bound.overdue();
            }
            throw e;
        }
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
