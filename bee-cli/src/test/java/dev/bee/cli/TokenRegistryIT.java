package dev.bee.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bee.core.image.Digests;
import dev.bee.core.testing.Examples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import static dev.bee.cli.RegistryReplies.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Push and pull with a registry that takes Bearer tokens, as Docker Hub, GHCR and Harbor do: every call
 * without a token for what it needs (pull for reads, push for writes) is answered 401 with a challenge
 * naming the token service and the scope, and the service gives a token for that scope for the user's
 * credentials (Basic, never a token); downloads are redirected to another server (a CDN), which must not
 * get the credentials. Scripted on 127.0.0.1, since the Debian registry has no token service.
 */
class TokenRegistryIT {
    private static final String USER = "beetoken";
    private static final String PASSWORD = "t0ken-Pa55";
    private static final String TOKEN = "tok-" + Long.toHexString(System.nanoTime());

    @TempDir
    Path tmp;

    private HttpServer registry;
    private HttpServer cdn;
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
    private final List<String> tokenRequests = new CopyOnWriteArrayList<>();
    private final List<String> cdnAuthorizations = new CopyOnWriteArrayList<>();
    private final List<String> unauthorizedCalls = new CopyOnWriteArrayList<>();
    private String host;

    @BeforeEach
    void start() throws IOException {
        cdn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        cdn.createContext("/", x -> {
            try (x) {
                cdnAuthorizations.add(String.valueOf(x.getRequestHeaders().getFirst("Authorization")));
                String digest = x.getRequestURI().getPath().substring("/cdn/".length());
                send(x, 200, "application/octet-stream", blobs.get(digest));
            }
        });
        cdn.start();
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.setExecutor(Executors.newCachedThreadPool());
        registry.createContext("/", this::handle);
        registry.start();
        host = "127.0.0.1:" + registry.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        registry.stop(0);
        cdn.stop(0);
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            byte[] body;
            try (InputStream in = x.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (path.equals("/token")) {
                tokenRequests.add(x.getRequestURI().getRawQuery() + " " + x.getRequestHeaders().getFirst("Authorization"));
                String basic = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD)
                        .getBytes(StandardCharsets.UTF_8));
                if (basic.equals(x.getRequestHeaders().getFirst("Authorization"))) {
                    String scope = x.getRequestURI().getQuery().replaceAll(".*scope=([^&]*).*", "$1");
                    send(x, 200, "application/json", ("{\"token\":\"" + TOKEN + "." + scope.replaceAll("\\W", "_")
                            + "\",\"expires_in\":300}").getBytes(StandardCharsets.UTF_8));
                } else {
                    send(x, 401, "application/json", "{\"details\":\"incorrect username or password\"}"
                            .getBytes(StandardCharsets.UTF_8));
                }
                return;
            }
            boolean write = x.getRequestMethod().equals("POST") || x.getRequestMethod().equals("PUT");
            String scope = "repository:fake/probe:" + (write ? "pull,push" : "pull");
            String auth = String.valueOf(x.getRequestHeaders().getFirst("Authorization"));
            if (!auth.startsWith("Bearer " + TOKEN + ".") || write && !auth.endsWith("push")) {
                unauthorizedCalls.add(x.getRequestMethod() + " " + path);
                x.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"http://" + host + "/token\","
                        + "service=\"fake-registry\",scope=\"" + scope + "\"");
                send(x, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".getBytes());
                return;
            }
            String last = path.substring(path.lastIndexOf('/') + 1);
            String method = x.getRequestMethod();
            if (method.equals("POST") && path.endsWith("/blobs/uploads/")) {
                x.getResponseHeaders().set("Location", "/v2/fake/probe/blobs/uploads/session-1?_state=x");
                send(x, 202, null, new byte[0]);
            } else if (method.equals("PUT") && path.contains("/blobs/uploads/")) {
                String query = x.getRequestURI().getQuery();
                String digest = query.substring(query.indexOf("digest=") + 7);
                assertEquals(digest, Digests.sha256(body));
                blobs.put(digest, body);
                send(x, 201, null, new byte[0]);
            } else if (method.equals("PUT") && path.contains("/manifests/")) {
                manifests.put(last, body);
                manifests.put(Digests.sha256(body), body);
                send(x, 201, null, new byte[0]);
            } else if (path.contains("/manifests/") && manifests.containsKey(last)) {
                send(x, 200, "application/vnd.oci.image.manifest.v1+json", manifests.get(last));
            } else if (path.contains("/blobs/") && blobs.containsKey(last)) {
                if (method.equals("HEAD")) {
                    send(x, 200, "application/octet-stream", blobs.get(last));
                } else {
                    x.getResponseHeaders().set("Location", "http://127.0.0.1:" + cdn.getAddress().getPort() + "/cdn/" + last);
                    send(x, 307, null, new byte[0]);
                }
            } else {
                send(x, 404, "application/json", "{\"errors\":[{\"code\":\"NOT_FOUND\"}]}".getBytes());
            }
        }
    }

    private Path storeWithImage(String ref) {
        Path store = tmp.resolve("store");
        CliRun b = CliRun.of("build", Examples.source("opensnoop").toString(), ref, "--output-file=" + tmp.resolve("o.o"),
                "--storage", store.toString());
        assertEquals(0, b.exitCode(), b.err());
        return store;
    }

    @Test
    void pushAndPullGetATokenForTheCredentialsAndKeepThemFromTheCdn() {
        String ref = host + "/fake/probe:v1";
        Path store = storeWithImage(ref);
        CliRun push = CliRun.of("push", ref, "--plain-http", "--storage", store.toString(), "-c",
                tmp.resolve("none.json").toString(), "-u", USER, "-p", PASSWORD);
        assertEquals(0, push.exitCode(), push.err());
        assertTrue(push.err().contains("2 blobs sent"), push.err());
        CliRun pull = CliRun.of("pull", ref, "--plain-http", "--storage", tmp.resolve("other").toString(), "-c",
                tmp.resolve("none.json").toString(), "-u", USER, "-p", PASSWORD);
        assertEquals(0, pull.exitCode(), pull.err());
        assertEquals(push.out().trim(), pull.out().trim());

        // push: a pull token (the first HEAD), then a push token (the first POST); pull: a pull token.
        assertEquals(List.of("scope=repository%3Afake%2Fprobe%3Apull&service=fake-registry",
                        "scope=repository%3Afake%2Fprobe%3Apull%2Cpush&service=fake-registry",
                        "scope=repository%3Afake%2Fprobe%3Apull&service=fake-registry"),
                tokenRequests.stream().map(t -> t.substring(0, t.indexOf(' '))).toList());
        for (String t : tokenRequests) {
            assertTrue(t.endsWith(" Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8))), "the token service gets the credentials: " + t);
        }
        assertEquals(3, unauthorizedCalls.size(), "one challenge a new scope: " + unauthorizedCalls);
        assertEquals(2, cdnAuthorizations.size(), "both blobs came from the CDN");
        assertEquals(List.of("null", "null"), cdnAuthorizations, "no credentials to another origin");
    }

    @Test
    void wrongCredentialsAreRefusedByTheTokenService() {
        String ref = host + "/fake/probe:v1";
        Path store = storeWithImage(ref);
        CliRun push = CliRun.of("push", ref, "--plain-http", "--storage", store.toString(), "-c",
                tmp.resolve("none.json").toString(), "-u", USER, "-p", "wrong");
        assertEquals(8, push.exitCode(), push.err());
        assertTrue(push.err().contains("refused the credentials (401 unauthorized)"), push.err());
        CliRun anonymous = CliRun.of("pull", ref, "--plain-http", "--storage", tmp.resolve("other").toString(), "-c",
                tmp.resolve("none.json").toString());
        assertEquals(8, anonymous.exitCode(), anonymous.err());
        assertTrue(anonymous.err().contains("requires authentication (401 unauthorized)"), anonymous.err());
        assertTrue(anonymous.err().contains("bee login " + host), anonymous.err());
    }
}
