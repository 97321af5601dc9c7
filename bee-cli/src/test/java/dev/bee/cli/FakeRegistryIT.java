package dev.bee.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bee.core.image.Digests;
import dev.bee.core.testing.StoreValidator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.bee.cli.RegistryReplies.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults a real registry does not produce, from a scripted one on 127.0.0.1: a registry that stalls on
 * the manifest or in the middle of a layer, a manifest of 10,000 layers, a connection cut mid-blob.
 * Each pull ends within its timeout with a one-line error, fetches nothing it need not, and leaves the
 * store as it was, with no staging folder.
 */
class FakeRegistryIT {
    @TempDir
    Path tmp;

    private HttpServer server;
    private final CountDownLatch never = new CountDownLatch(1);
    private final AtomicInteger blobRequests = new AtomicInteger();

    @AfterEach
    void stop() {
        never.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    private interface Handler {
        void handle(HttpExchange x) throws Exception;
    }

    private String serve(Handler manifests, Handler blobs) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", x -> {
            try {
                String path = x.getRequestURI().getPath();
                if (path.equals("/v2/")) {
                    send(x, 200, "application/json", "{}".getBytes());
                } else if (path.contains("/manifests/")) {
                    manifests.handle(x);
                } else if (path.contains("/blobs/")) {
                    blobRequests.incrementAndGet();
                    blobs.handle(x);
                } else {
                    send(x, 404, "application/json", "{}".getBytes());
                }
            } catch (Exception e) {
                // a cut or stalled answer ends here
            } finally {
                x.close();
            }
        });
        server.start();
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private static String manifest(String config, long configSize, List<String> layers, long layerSize) {
        StringBuilder sb = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/ebpf.oci.image.config.v1+json\",\"digest\":\"" + config
                + "\",\"size\":" + configSize + "},\"layers\":[");
        for (int i = 0; i < layers.size(); i++) {
            sb.append(i == 0 ? "" : ",").append("{\"mediaType\":\"application/ebpf.oci.image.program.v1+binary\",")
                    .append("\"digest\":\"").append(layers.get(i)).append("\",\"size\":").append(layerSize).append('}');
        }
        return sb.append("]}").toString();
    }

    private static final byte[] CONFIG = "{\"schemaVersion\":\"1\"}".getBytes();
    private static final byte[] LAYER = new byte[64 * 1024];

    /** An image of one config and one 64 KiB layer: the config is served whole, the layer by {@code layer}. */
    private String serveOneLayer(Handler layer) throws IOException {
        String cd = Digests.sha256(CONFIG);
        byte[] m = manifest(cd, CONFIG.length, List.of(Digests.sha256(LAYER)), LAYER.length)
                .getBytes(StandardCharsets.UTF_8);
        return serve(x -> send(x, 200, "application/vnd.oci.image.manifest.v1+json", m), x -> {
            if (x.getRequestURI().getPath().endsWith(cd)) {
                send(x, 200, "application/octet-stream", CONFIG);
            } else {
                layer.handle(x);
            }
        });
    }

    private CliRun pull(String host, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("pull", host + "/fake/probe:v1", "--plain-http",
                "--storage", tmp.resolve("store").toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(new String[0]));
    }

    private void assertNothingLeft() throws IOException {
        Path store = tmp.resolve("store");
        assertEquals(List.of(), StoreValidator.problems(store));
        assertFalse(Files.exists(store.resolve("index.json")) && Files.readString(store.resolve("index.json"))
                .contains("fake/probe"), "nothing named");
    }

    @Test
    void aStalledManifestEndsWithinTheTimeout() throws Exception {
        String host = serve(x -> never.await(), x -> send(x, 404, "text/plain", new byte[0]));
        long start = System.nanoTime();
        CliRun r = pull(host, "--timeout", "1s");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(6, r.exitCode(), r.err());
        assertTrue(r.err().contains("sent nothing for 1s"), r.err());
        assertTrue(ms < 5000, "took " + ms + " ms");
        assertNothingLeft();
    }

    /**
     * A registry that drips its manifest, a byte every 100 ms, never stalls for the timeout: the request's
     * overall bound (the timeout plus its bytes at 256 KiB/s, here about 1.3 s) ends it.
     */
    @Test
    void aDrippingManifestEndsAtTheOverallBound() throws Exception {
        String host = serve(x -> {
            x.getResponseHeaders().set("Content-Type", "application/vnd.oci.image.manifest.v1+json");
            x.sendResponseHeaders(200, 2000);
            OutputStream o = x.getResponseBody();
            for (int i = 0; i < 2000; i++) {
                o.write(' ');
                o.flush();
                Thread.sleep(100);
            }
        }, x -> send(x, 404, "text/plain", new byte[0]));
        long start = System.nanoTime();
        CliRun r = pull(host, "--timeout", "1s");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(6, r.exitCode(), r.err());
        assertTrue(r.err().contains("sent too slowly: a request of 67536 bytes at most must be done within 1257ms"
                + " (--timeout 1s plus 1s per 256 KiB)"), r.err());
        assertTrue(r.err().contains("allow longer with --timeout TIME"), r.err());
        assertTrue(ms < 6000, "took " + ms + " ms");
        assertNothingLeft();
    }

    /** Headers that never end, a byte every 100 ms: the watchdog closes the connection at the bound. */
    @Test
    void headersThatNeverEndEndAtTheOverallBound() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread drip = new Thread(() -> {
                try (Socket s = listener.accept()) {
                    s.getInputStream().read(new byte[8192]);
                    OutputStream o = s.getOutputStream();
                    o.write("HTTP/1.1 200 OK\r\nX-Drip: ".getBytes(StandardCharsets.US_ASCII));
                    while (never.getCount() > 0) {
                        o.write('x');
                        o.flush();
                        Thread.sleep(100);
                    }
                } catch (Exception e) {
                    // bee closed the connection
                }
            });
            drip.setDaemon(true);
            drip.start();
            long start = System.nanoTime();
            CliRun r = pull("127.0.0.1:" + listener.getLocalPort(), "--timeout", "1s");
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(6, r.exitCode(), r.err());
            assertTrue(r.err().contains("sent too slowly: a request of 65536 bytes at most must be done within 1250ms"),
                    r.err());
            assertTrue(ms < 6000, "took " + ms + " ms");
            assertNothingLeft();
        }
    }

    @Test
    void tenThousandLayersAreRefusedBeforeAnyBlobIsFetched() throws Exception {
        String config = Digests.sha256("{}".getBytes());
        List<String> layers = java.util.stream.IntStream.range(0, 10_000)
                .mapToObj(i -> Digests.sha256(("layer" + i).getBytes())).toList();
        byte[] m = manifest(config, 2, layers, 10).getBytes(StandardCharsets.UTF_8);
        String host = serve(x -> send(x, 200, "application/vnd.oci.image.manifest.v1+json", m),
                x -> send(x, 200, "application/octet-stream", "{}".getBytes()));
        CliRun r = pull(host);
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().contains("declares 10001 blobs"), r.err());
        assertEquals(0, blobRequests.get(), "no blob fetched");
        assertNothingLeft();
    }

    @Test
    void aLayerThatStallsHalfwayEndsWithinTheTimeoutAndLeavesNothing() throws Exception {
        String host = serveOneLayer(x -> {
            x.getResponseHeaders().set("Content-Type", "application/octet-stream");
            x.sendResponseHeaders(200, LAYER.length);
            OutputStream o = x.getResponseBody();
            o.write(LAYER, 0, LAYER.length / 2);
            o.flush();
            never.await();
        });
        long start = System.nanoTime();
        CliRun r = pull(host, "--timeout", "1s");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(6, r.exitCode(), r.err());
        assertTrue(r.err().contains("sent nothing for 1s"), r.err());
        assertTrue(ms < 6000, "took " + ms + " ms");
        assertNothingLeft();
    }

    @Test
    void aConnectionCutMidBlobStoresNothing() throws Exception {
        String host = serveOneLayer(x -> {
            x.sendResponseHeaders(200, LAYER.length);
            OutputStream o = x.getResponseBody();
            o.write(LAYER, 0, 1000);
            o.flush();
            throw new IOException("cut"); // the exchange closes with the body short
        });
        CliRun r = pull(host);
        assertTrue(r.exitCode() == 6 || r.exitCode() == 3, r.exitCode() + ": " + r.err());
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("bee: error:")).count(), r.err());
        assertTrue(r.err().contains("was cut after 1000 of 65536 bytes"), r.err());
        assertNothingLeft();
    }

    @Test
    void stagingOfAnEndedPullIsSweptByTheNextCommand() throws Exception {
        Path store = tmp.resolve("store");
        assertEquals(0, CliRun.of("build", dev.bee.core.testing.Examples.source("opensnoop").toString(), "sweep:v1",
                "-o", tmp.resolve("o.o").toString(), "--storage", store.toString()).exitCode());
        Path dead = Files.createDirectories(store.resolve(".staging/pull-999999999-dead"));
        Files.writeString(dead.resolve("blob"), "half a layer");
        Path live = Files.createDirectories(store.resolve(".staging/pull-" + ProcessHandle.current().pid() + "-live"));
        CliRun rmi = CliRun.of("rmi", "sweep:v1", "--storage", store.toString());
        assertEquals(0, rmi.exitCode(), rmi.err());
        assertFalse(Files.exists(dead), "the folder of an ended pull is gone");
        assertTrue(Files.exists(live), "a live pull's folder stays");
    }
}
