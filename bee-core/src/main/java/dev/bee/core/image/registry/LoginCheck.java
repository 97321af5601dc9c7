package dev.bee.core.image.registry;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.Credentials;
import dev.bee.core.image.RegistryOptions;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks credentials against a registry before {@code bee login} saves them, the way
 * {@code docker login} does: {@code GET /v2/}, then Basic auth, or for a registry that answers with
 * a Bearer challenge, a token request to its realm with the credentials. oras-java has no such
 * check (it authenticates per repository), hence this small client on the JDK's HTTP client
 * ({@link HttpClients}).
 */
public final class LoginCheck {
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private LoginCheck() {
    }

    /** Returns normally when {@code host} accepts {@code cred}; otherwise a clear REGISTRY error. */
    public static void verify(String host, Credentials.Credential cred, RegistryOptions options) {
        String action = "log in to " + host;
        RegistryOptions resolved = RegistryTransport.resolve(host, options);
        String base = (resolved.plainHttp() ? "http://" : "https://") + RegistryHttp.apiHost(host);
        try {
            URL v2 = new URL(base + "/v2/");
            Origin registry = Origin.of(v2);
            Deadline deadline = new Deadline(options.timeout(), host);
            Answer first = send(options, deadline, action, v2, null, registry);
            if (first.status() == 200) {
                return; // no authentication: any credentials pass, as with docker login
            }
            if (first.status() != 401) {
                throw RegistryErrors.ofStatus(first.status(), null, action, host, true, null);
            }
            String basic = "Basic " + Base64.getEncoder().encodeToString((cred.username() + ":" + cred.password())
                    .getBytes(StandardCharsets.UTF_8));
            Answer second;
            Map<String, String> p = bearerChallenge(first.challenge());
            if (p != null) {
                if (p.get("realm") == null) {
                    throw new BeeException(ErrorKind.REGISTRY, "cannot " + action + ": its Bearer challenge has no realm");
                }
                URL realm = RegistryHttp.realm(p.get("realm"), registry, true, host, action);
                String url = realm + (realm.toString().contains("?") ? "&" : "?") + "account="
                        + URLEncoder.encode(cred.username(), StandardCharsets.UTF_8)
                        + (p.containsKey("service") ? "&service=" + URLEncoder.encode(p.get("service"), StandardCharsets.UTF_8) : "");
                second = send(options, deadline, action, new URL(url), basic, Origin.of(realm));
            } else {
                second = send(options, deadline, action, v2, basic, registry);
            }
            if (second.status() != 200) {
                throw RegistryErrors.ofStatus(second.status(), null, action, host, true, null);
            }
        } catch (IOException e) {
            throw RegistryErrors.of(new java.io.UncheckedIOException(e), action, host, true);
        }
    }

    private record Answer(int status, String challenge) {
    }

    /**
     * A GET with redirects followed (as the JDK's client followed them for this check), its body discarded;
     * {@code authorization} goes only to hops on {@code trusted}, the origin it is meant for. Each request
     * has the time bounds of the registry's other requests ({@link Deadline}).
     */
    private static Answer send(RegistryOptions options, Deadline deadline, String action, URL url,
                               String authorization, Origin trusted) throws IOException {
        URL u = url;
        for (int hops = 0; ; hops++) {
            HttpURLConnection c = HttpClients.open(u, options, options.timeout(), options.timeout());
            if (authorization != null && trusted.holds(u)) {
                c.setRequestProperty("Authorization", authorization);
            }
            int status;
            try (Deadline.Bound bound = deadline.start(c, 0, RegistryHttp.NO_BODY, action)) {
                try {
                    status = c.getResponseCode();
                    if (bound.fired()) {
                        // the JDK gives the status line's code although the watchdog cut the headers after it
                        throw bound.overdue();
                    }
                } catch (SocketTimeoutException e) {
                    throw deadline.stalled(action);
                } catch (IOException | RuntimeException e) {
                    if (bound.fired()) {
                        throw bound.overdue();
                    }
                    throw e;
                }
            }
            String location = c.getHeaderField("Location");
            String challenge = c.getHeaderField("WWW-Authenticate");
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                // the body is not needed
            } catch (IOException e) {
                c.disconnect();
            }
            URL next = location == null ? null : new URL(u, location);
            // Redirect.NORMAL: any redirect but from HTTPS to HTTP.
            if (RegistryHttp.isRedirect(status) && next != null
                    && hops < 5 && !(u.getProtocol().equals("https") && next.getProtocol().equals("http"))) {
                u = next;
                continue;
            }
            return new Answer(status, challenge);
        }
    }

    /** The parameters of a Bearer challenge ({@code realm}, {@code service}, {@code scope}); null for another scheme. */
    static Map<String, String> bearerChallenge(String challenge) {
        return challenge != null && challenge.regionMatches(true, 0, "Bearer", 0, 6) ? params(challenge) : null;
    }

    static Map<String, String> params(String challenge) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) {
            out.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
        }
        return out;
    }
}
