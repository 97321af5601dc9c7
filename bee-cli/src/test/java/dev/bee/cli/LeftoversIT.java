package dev.bee.cli;

import com.sun.net.httpserver.HttpServer;
import dev.bee.core.image.Digests;
import dev.bee.core.testing.Examples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import static dev.bee.cli.RegistryReplies.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an interrupted or killed command leaves behind (issue 19 item 12), with real signals: a pull
 * stopped by SIGINT mid-layer removes its staging folder on the way out; what a killed pull left is
 * swept by the next command that reads the store, list and describe included; a build killed by
 * SIGKILL mid-compile leaves a temporary object that the next build of the same output removes.
 */
class LeftoversIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    /**
     * A registry that sends half of the layer and then holds the connection: a stall a real registry
     * does not produce on demand, so the pull is surely mid-layer when the signal comes.
     */
    private String stallingRegistry() throws IOException {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = new byte[64 * 1024];
        String cd = Digests.sha256(config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/ebpf.oci.image.config.v1+json\",\"digest\":\"" + cd
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/ebpf.oci.image.program.v1+binary\","
                + "\"digest\":\"" + Digests.sha256(layer) + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", x -> {
            try {
                String path = x.getRequestURI().getPath();
                if (path.equals("/v2/")) {
                    send(x, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
                } else if (path.contains("/manifests/")) {
                    send(x, 200, "application/vnd.oci.image.manifest.v1+json", manifest);
                } else if (path.endsWith(cd)) {
                    send(x, 200, "application/octet-stream", config);
                } else {
                    x.sendResponseHeaders(200, layer.length);
                    OutputStream o = x.getResponseBody();
                    o.write(layer, 0, layer.length / 2);
                    o.flush();
                    release.await();
                }
            } catch (Exception e) {
                // the pull went away
            } finally {
                x.close();
            }
        });
        server.start();
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private static List<Path> staging(Path store) throws IOException {
        Path dir = store.resolve(".staging");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void aPullStoppedBySigintRemovesItsStaging() throws Exception {
        String host = stallingRegistry();
        Path store = tmp.resolve("store");
        try (BeeProcess pull = BeeProcess.start("pull", host + "/stall/probe:v1", "--plain-http", "--timeout", "60s",
                "--storage", store.toString())) {
            long end = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < end && pull.exitCodeOrRunning() && staging(store).stream()
                    .noneMatch(d -> d.getFileName().toString().startsWith("pull-" + pull.pid() + "-") && hasFiles(d))) {
                Thread.sleep(20);
            }
            assertFalse(staging(store).isEmpty(), "the pull never staged its layer: " + pull.err());
            pull.signal("INT");
            pull.waitFor(TIMEOUT);
            assertEquals(130, pull.exitCode(), pull.err());
        }
        assertEquals(List.of(), staging(store), "the interrupted pull left its staging folder");
    }

    private static boolean hasFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /** What a SIGKILLed pull left (no hook runs then) goes with the next list or describe. */
    @Test
    void listAndDescribeSweepWhatAKilledPullLeft() throws Exception {
        String host = stallingRegistry();
        Path store = tmp.resolve("store");
        CliRun build = CliRun.of("build", Examples.source("opensnoop").toString(), "kept:v1", "-o",
                tmp.resolve("p.o").toString(), "--storage", store.toString());
        assertEquals(0, build.exitCode(), build.err());
        for (String command : new String[]{"list", "describe"}) {
            try (BeeProcess pull = BeeProcess.start("pull", host + "/stall/probe:v1", "--plain-http", "--timeout", "60s",
                    "--storage", store.toString())) {
                long end = System.nanoTime() + TIMEOUT.toNanos();
                while (System.nanoTime() < end && pull.exitCodeOrRunning() && staging(store).isEmpty()) {
                    Thread.sleep(20);
                }
                pull.signal("KILL");
                pull.waitFor(TIMEOUT);
            }
            assertEquals(1, staging(store).size(), "a SIGKILLed pull leaves its folder: " + staging(store));
            CliRun r = command.equals("list") ? CliRun.of("list", "--storage", store.toString())
                    : CliRun.of("describe", "kept:v1", "--storage", store.toString());
            assertEquals(0, r.exitCode(), r.err());
            assertEquals(List.of(), staging(store), command + " did not sweep the dead pull's folder");
        }
    }

    /** A build SIGKILLed while clang writes leaves its hidden temporary object; the next build removes it. */
    @Test
    void aBuildKilledMidCompileLeavesNothingAfterTheNextBuild() throws Exception {
        Path src = Files.copy(Examples.source("opensnoop"), tmp.resolve("prog.c"));
        Path out = tmp.resolve("prog.o");
        boolean caught = false;
        for (int attempt = 0; attempt < 5 && !caught; attempt++) {
            try (BeeProcess build = BeeProcess.start("build", src.toString(), "-o", out.toString())) {
                long end = System.nanoTime() + TIMEOUT.toNanos();
                while (System.nanoTime() < end && build.exitCodeOrRunning() && temps(tmp).isEmpty()) {
                    Thread.sleep(2);
                }
                build.signal("KILL");
                build.waitFor(TIMEOUT);
                // clang, orphaned, finishes writing the temporary object: wait for every process naming it.
                String marker = ".prog.o." + build.pid() + ".";
                for (ProcessHandle h : ProcessHandle.allProcesses().filter(h -> h.info().commandLine()
                        .map(c -> c.contains(marker)).orElse(false)).toList()) {
                    h.onExit().get();
                }
                caught = build.exitCode() == 137 && !temps(tmp).isEmpty();
            }
        }
        assertTrue(caught, "no build was killed while its temporary object existed");
        CliRun again = CliRun.of("build", src.toString(), "-o", out.toString());
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(List.of(), temps(tmp), "the killed build's temporary object is still there");
        assertTrue(Files.size(out) > 0);
    }

    private static List<Path> temps(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".prog.o.")).toList();
        }
    }
}
