package dev.bee.core.image.registry;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.Credentials;
import dev.bee.core.image.ImageRef;
import dev.bee.core.image.RegistryOptions;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks credentials against a registry before {@code bee login} saves them, the way
 * {@code docker login} does: {@code GET /v2/}, then Basic auth, or for a registry that answers with
 * a Bearer challenge, a token request to its realm with the credentials. oras-java has no such
 * check (it authenticates per repository), hence this small client on the JDK's HTTP client.
 */
public final class LoginCheck {
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private LoginCheck() {
    }

    /** Returns normally when {@code host} accepts {@code cred}; otherwise a clear REGISTRY error. */
    public static void verify(String host, Credentials.Credential cred, RegistryOptions options) {
        String action = "log in to " + host;
        HttpClient client = HttpClients.of(options, Duration.ofSeconds(15));
        String base = (RegistryTransport.resolve(host, options).plainHttp() ? "http://" : "https://") + apiHost(host);
        try {
            HttpResponse<Void> first = send(client, HttpRequest.newBuilder(URI.create(base + "/v2/")), null);
            if (first.statusCode() == 200) {
                return; // no authentication: any credentials pass, as with docker login
            }
            if (first.statusCode() != 401) {
                throw RegistryErrors.ofStatus(first.statusCode(), null, action, host, true, null);
            }
            String challenge = first.headers().firstValue("WWW-Authenticate").orElse("");
            String basic = "Basic " + Base64.getEncoder().encodeToString((cred.username() + ":" + cred.password())
                    .getBytes(StandardCharsets.UTF_8));
            HttpResponse<Void> second;
            if (challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
                Map<String, String> p = params(challenge);
                String realm = p.get("realm");
                if (realm == null) {
                    throw new BeeException(ErrorKind.REGISTRY, "cannot " + action + ": its Bearer challenge has no realm");
                }
                String url = realm + (realm.contains("?") ? "&" : "?") + "account="
                        + URLEncoder.encode(cred.username(), StandardCharsets.UTF_8)
                        + (p.containsKey("service") ? "&service=" + URLEncoder.encode(p.get("service"), StandardCharsets.UTF_8) : "");
                second = send(client, HttpRequest.newBuilder(URI.create(url)), basic);
            } else {
                second = send(client, HttpRequest.newBuilder(URI.create(base + "/v2/")), basic);
            }
            if (second.statusCode() != 200) {
                throw RegistryErrors.ofStatus(second.statusCode(), null, action, host, true, null);
            }
        } catch (IOException e) {
            throw RegistryErrors.of(new java.io.UncheckedIOException(e), action, host, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BeeException(ErrorKind.REGISTRY, "cannot " + action + ": interrupted");
        }
    }

    private static HttpResponse<Void> send(HttpClient client, HttpRequest.Builder b, String authorization)
            throws IOException, InterruptedException {
        b.timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.discarding());
    }

    static Map<String, String> params(String challenge) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) {
            out.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
        }
        return out;
    }

    /** Docker Hub's API lives on another host than its name. */
    private static String apiHost(String host) {
        return host.equals(ImageRef.DOCKER_HUB) ? "registry-1.docker.io" : host;
    }
}
