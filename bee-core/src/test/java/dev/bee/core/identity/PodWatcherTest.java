package dev.bee.core.identity;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The pod watcher against a scripted API server replaying the documented answers of
 * {@code GET /api/v1/pods?fieldSelector=spec.nodeName=...} (a PodList) and its watch (JSON lines of
 * {@code {"type":...,"object":...}}, with BOOKMARK and a 410 Gone ERROR Status).
 */
class PodWatcherTest {
    private static final String CID = "3f4c6e9a0d1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5";
    private static final String CID2 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private HttpServer server;
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final List<String> auth = new CopyOnWriteArrayList<>();
    /** The watch streams to serve, one per watch request; each is a list of lines. */
    private final LinkedBlockingQueue<List<String>> watches = new LinkedBlockingQueue<>();
    private volatile int lists;

    private static String pod(String uid, String ns, String name, String rv, String containerId, String container) {
        return """
                {"metadata":{"name":"%s","namespace":"%s","uid":"%s","resourceVersion":"%s","labels":{"app":"%s"}},
                 "spec":{"nodeName":"node-1","containers":[{"name":"%s","image":"nginx:1.27"}]},
                 "status":{"phase":"Running","containerStatuses":[{"name":"%s","image":"docker.io/library/nginx:1.27",
                  "containerID":"containerd://%s","ready":true}]}}""".formatted(name, ns, uid, rv, name, container, container,
                containerId).replace("\n", "");
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/pods", this::serve);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void serve(HttpExchange ex) throws IOException {
        String q = URLDecoder.decode(ex.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
        queries.add(q);
        auth.add(ex.getRequestHeaders().getFirst("Authorization"));
        if (!q.contains("watch=1")) {
            lists++;
            String list = """
                    {"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"100"},"items":[%s]}"""
                    .formatted(pod("11111111-2222-3333-4444-555555555555", "shop", "web-0", "90", CID, "nginx"));
            byte[] b = list.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
            return;
        }
        List<String> lines;
        try {
            lines = watches.poll(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            lines = null;
        }
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            for (String l : lines == null ? List.<String>of() : lines) {
                out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    private static void await(BooleanSupplier what, String description) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!what.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting for " + description);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void listsThenWatchesThisNodesPods() throws Exception {
        String uid2 = "66666666-7777-8888-9999-000000000000";
        watches.add(List.of(
                "{\"type\":\"ADDED\",\"object\":" + pod(uid2, "shop", "db-0", "101", CID2, "postgres") + "}",
                "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"105\"}}}"));
        watches.add(List.of(
                "{\"type\":\"DELETED\",\"object\":" + pod("11111111-2222-3333-4444-555555555555", "shop", "web-0", "106", CID,
                        "nginx") + "}"));
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        try (PodWatcher w = PodWatcher.start(uri, "node-1", () -> "tok", HttpClient.newHttpClient())) {
            assertTrue(w.synced(), "start waits for the first list");
            await(() -> w.pod(uid2) != null, "the added pod");
            PodWatcher.Pod db = w.pod(uid2);
            assertEquals("shop", db.namespace());
            assertEquals("db-0", db.name());
            assertEquals("db-0", db.labels().get("app"));
            ContainerName c = w.container(CID2);
            assertEquals("postgres", c.name());
            assertEquals("db-0", c.podName());
            await(() -> w.pod("11111111-2222-3333-4444-555555555555") == null, "the deleted pod");
            assertNull(w.container(CID));
        }
        assertTrue(queries.get(0).contains("fieldSelector=spec.nodeName=node-1"), queries.get(0));
        assertTrue(queries.get(0).contains("limit=500"), queries.get(0));
        // the first watch starts at the list's version; the next one after the bookmark's
        assertTrue(queries.get(1).contains("watch=1") && queries.get(1).contains("resourceVersion=100"), queries.get(1));
        assertTrue(queries.get(1).contains("allowWatchBookmarks=true"), queries.get(1));
        assertTrue(queries.get(2).contains("resourceVersion=105"), queries.get(2));
        assertEquals("Bearer tok", auth.get(0));
        assertEquals(1, lists);
    }

    @Test
    void goneListsAgain() throws Exception {
        watches.add(List.of("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                + "\"status\":\"Failure\",\"message\":\"too old resource version: 100 (200)\",\"reason\":\"Expired\",\"code\":410}}"));
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        try (PodWatcher w = PodWatcher.start(uri, "node-1", () -> "", HttpClient.newHttpClient())) {
            await(() -> lists >= 2, "a second list after 410 Gone");
            assertEquals("web-0", w.pod("11111111-2222-3333-4444-555555555555").name());
        }
        assertNull(auth.get(0));
    }

    @Test
    void aSilentWatchIsEndedAndStartedAgain() throws Exception {
        // the first watch sends nothing and never ends (a dead peer); the second one adds a pod
        server.removeContext("/api/v1/pods");
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        server.createContext("/api/v1/pods", ex -> {
            String q = URLDecoder.decode(ex.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
            seen.add(q);
            byte[] b = (q.contains("watch=1") && seen.stream().filter(x -> x.contains("watch=1")).count() > 1
                    ? "{\"type\":\"ADDED\",\"object\":" + pod("66666666-7777-8888-9999-000000000000", "shop", "db-0", "101", CID2,
                    "postgres") + "}\n"
                    : q.contains("watch=1") ? ""
                    : "{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"100\"},\"items\":[]}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
                out.flush();
                if (b.length == 0) {
                    release.await(20, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        try (PodWatcher w = PodWatcher.start(uri, "node-1", () -> "", HttpClient.newHttpClient())) {
            await(() -> seen.stream().anyMatch(q -> q.contains("watch=1")), "the first watch");
            w.closeIfStalled(System.nanoTime()); // not silent for long: kept
            Thread.sleep(200);
            assertEquals(1, seen.stream().filter(q -> q.contains("watch=1")).count());
            w.closeIfStalled(System.nanoTime() + Duration.ofMinutes(7).toNanos());
            await(() -> w.pod("66666666-7777-8888-9999-000000000000") != null, "the pod from the second watch");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aRefusedListIsRetriedNotFatal() throws Exception {
        server.removeContext("/api/v1/pods");
        server.createContext("/api/v1/pods", ex -> {
            byte[] b = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"pods is forbidden: "
                    + "User \\\"system:serviceaccount:bee:bee\\\" cannot list resource \\\"pods\\\"\",\"reason\":\"Forbidden\","
                    + "\"code\":403}").getBytes(StandardCharsets.UTF_8);
            lists++;
            ex.sendResponseHeaders(403, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        try (PodWatcher w = PodWatcher.start(uri, "node-1", () -> "t", HttpClient.newHttpClient())) {
            await(() -> lists >= 2, "a retry after 1 s");
            assertTrue(!w.synced());
        }
    }
}
