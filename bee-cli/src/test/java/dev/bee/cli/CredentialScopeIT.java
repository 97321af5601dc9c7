package dev.bee.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.RegistryServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import static dev.bee.cli.RegistryReplies.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the user's credentials go. A registry with Basic auth that redirects downloads to a second host
 * which redirects to itself (as CDNs and object stores do), a login that is redirected the same way, and a
 * real TLS registry whose Bearer challenge names a token service over plain HTTP: the credentials reach
 * the registry's own origin and nothing else, at no hop, and never cross the network in clear text. The
 * redirecting front is scripted (a real registry does not redirect to arbitrary hosts); the image bytes
 * come from a real registry behind it.
 */
class CredentialScopeIT {
    private static final String USER = "beescope";
    private static final String PASSWORD = "sc0pe-Pa55-" + Long.toHexString(System.nanoTime());
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD)
            .getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path tmp;

    private final List<HttpServer> servers = new ArrayList<>();
    /** Every Authorization header (or "none") that reached the second host, one per request. */
    private final List<String> elsewhere = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    private interface Handler {
        void handle(HttpExchange x) throws Exception;
    }

    private HttpServer serve(Handler h) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.setExecutor(Executors.newCachedThreadPool());
        s.createContext("/", x -> {
            try (x) {
                try (InputStream in = x.getRequestBody()) {
                    in.readAllBytes();
                }
                h.handle(x);
            } catch (Exception e) {
                // the exchange ends here
            }
        });
        s.start();
        servers.add(s);
        return s;
    }

    private static String url(HttpServer s) {
        return "http://127.0.0.1:" + s.getAddress().getPort();
    }

    /**
     * The second host: {@code /hop/N} redirects to {@code /hop/N+1} on itself, and the last hop serves what
     * the real registry has at the path in the query; it records every Authorization it is sent.
     */
    private HttpServer secondHost(String real) throws IOException {
        HttpServer[] self = new HttpServer[1];
        self[0] = serve(x -> {
            elsewhere.add(String.valueOf(x.getRequestHeaders().getFirst("Authorization")));
            String path = x.getRequestURI().getPath();
            String query = x.getRequestURI().getRawQuery();
            int hop = Integer.parseInt(path.substring("/hop/".length()));
            if (hop < 3) {
                x.getResponseHeaders().set("Location", "/hop/" + (hop + 1) + (query == null ? "" : "?" + query));
                send(x, hop == 1 ? 302 : 307, null, new byte[0]);
            } else if (query == null) {
                send(x, 200, "application/json", "{}".getBytes());
            } else {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://" + real + query)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                send(x, r.statusCode(), "application/octet-stream", r.body());
            }
        });
        return self[0];
    }

    @Test
    void aDownloadRedirectedToAHostThatRedirectsToItselfGetsNoCredentials() throws Exception {
        try (RegistryServer real = RegistryServer.start()) {
            Path store = tmp.resolve("store");
            String realRef = real.host() + "/scope/probe:v1";
            assertEquals(0, CliRun.of("build", Examples.source("opensnoop").toString(), realRef,
                    "--output-file=" + tmp.resolve("o.o"), "--storage", store.toString()).exitCode());
            CliRun push = CliRun.of("push", realRef, "--storage", store.toString(), "-c", tmp.resolve("none.json").toString());
            assertEquals(0, push.exitCode(), push.err());
            HttpServer cdn = secondHost(real.host());
            List<String> registryAuth = new CopyOnWriteArrayList<>();
            // The registry: Basic auth; manifests from the real registry, every blob redirected to the second host.
            HttpServer front = serve(x -> {
                String auth = String.valueOf(x.getRequestHeaders().getFirst("Authorization"));
                registryAuth.add(auth);
                String path = x.getRequestURI().getPath();
                if (!auth.equals(BASIC)) {
                    x.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"scope\"");
                    send(x, 401, "application/json", "{}".getBytes());
                } else if (path.contains("/blobs/")) {
                    x.getResponseHeaders().set("Location", url(cdn) + "/hop/1?" + path);
                    send(x, 307, null, new byte[0]);
                } else {
                    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://" + real.host() + path))
                            .header("Accept", x.getRequestHeaders().getFirst("Accept")).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    send(x, r.statusCode(), r.headers().firstValue("Content-Type").orElse("application/json"), r.body());
                }
            });
            String host = "127.0.0.1:" + front.getAddress().getPort();
            CliRun pull = CliRun.of("pull", host + "/scope/probe:v1", "-v", "--storage", tmp.resolve("other").toString(),
                    "-c", tmp.resolve("none.json").toString(), "-u", USER, "-p", PASSWORD);
            assertEquals(0, pull.exitCode(), pull.err());
            assertTrue(registryAuth.contains(BASIC), "the registry got the credentials: " + registryAuth);
            // config and layer, three hops each
            assertEquals(6, elsewhere.size(), "every hop reached the second host: " + elsewhere);
            assertEquals(List.of("null"), elsewhere.stream().distinct().toList(), "no credentials at any hop");
            assertFalse(pull.err().contains(PASSWORD) || pull.err().contains(BASIC.substring(6)), pull.err());
        }
    }

    @Test
    void aLoginRedirectedToAnotherHostSendsItNoCredentials() throws Exception {
        HttpServer other = secondHost("unused");
        HttpServer registry = serve(x -> {
            if (BASIC.equals(x.getRequestHeaders().getFirst("Authorization"))) {
                x.getResponseHeaders().set("Location", url(other) + "/hop/1");
                send(x, 302, null, new byte[0]);
            } else {
                x.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"scope\"");
                send(x, 401, "application/json", "{}".getBytes());
            }
        });
        CliRun login = CliRun.of("login", "127.0.0.1:" + registry.getAddress().getPort(), "--plain-http", "-v",
                "-u", USER, "-p", PASSWORD, "--config", tmp.resolve("auth.json").toString());
        assertEquals(0, login.exitCode(), login.err());
        assertEquals(3, elsewhere.size(), "the check followed the redirects: " + elsewhere);
        assertEquals(List.of("null"), elsewhere.stream().distinct().toList(), "no credentials at any hop");
        assertFalse(login.err().contains(PASSWORD) || login.err().contains(BASIC.substring(6)), login.err());
    }

    @Test
    void aTlsRegistryWhoseTokenServiceIsPlainHttpGetsNoCredentialsOnLoginOrPull() throws Exception {
        HttpServer realm = serve(x -> {
            elsewhere.add(String.valueOf(x.getRequestHeaders().getFirst("Authorization")));
            send(x, 200, "application/json", "{\"token\":\"t\"}".getBytes());
        });
        try (RegistryServer registry = RegistryServer.startTlsWithTokenRealm(url(realm) + "/token")) {
            CliRun login = CliRun.of("login", registry.host(), "--insecure", "-u", USER, "-p", PASSWORD,
                    "--config", tmp.resolve("auth.json").toString());
            assertEquals(6, login.exitCode(), login.err());
            assertTrue(login.err().contains("names a token service over plain HTTP (http://127.0.0.1:"
                    + realm.getAddress().getPort() + "); bee does not send credentials in clear text"), login.err());
            assertTrue(login.err().contains("must use https://"), login.err());
            CliRun pull = CliRun.of("pull", registry.host() + "/scope/probe:v1", "--insecure", "-v",
                    "--storage", tmp.resolve("store").toString(), "-c", tmp.resolve("none.json").toString(),
                    "-u", USER, "-p", PASSWORD);
            assertEquals(6, pull.exitCode(), pull.err());
            assertTrue(pull.err().contains("bee does not send credentials in clear text"), pull.err());
            assertFalse(pull.err().contains(PASSWORD) || pull.err().contains(BASIC.substring(6)), pull.err());
            assertEquals(List.of(), elsewhere, "the plain HTTP token service was never asked");
            // Without credentials there is nothing to leak: the token service is asked, anonymously.
            CliRun anonymous = CliRun.of("pull", registry.host() + "/scope/probe:v1", "--insecure",
                    "--storage", tmp.resolve("store").toString(), "-c", tmp.resolve("none.json").toString());
            assertEquals(List.of("null"), elsewhere, anonymous.err());
        }
    }
}
