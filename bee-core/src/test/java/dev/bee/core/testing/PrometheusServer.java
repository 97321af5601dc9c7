package dev.bee.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.OptionalDouble;
import java.util.stream.Stream;

/**
 * A real Prometheus server for tests (Debian's {@code prometheus} package) on 127.0.0.1 and a free port,
 * scraping one target every second, with its data in a temp folder; values are read back through its
 * HTTP query API, as a user's dashboards would.
 */
public final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final int port;
    private final Process process;

    private PrometheusServer(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Starts a server that scrapes {@code target} ({@code host:port}, path /metrics) every second. */
    public static PrometheusServer start(String target) {
        Path binary = Requirements.requireTool("prometheus");
        try {
            Path dir = Files.createTempDirectory("bee-prometheus-");
            int port = RegistryServer.freePort();
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                    + "scrape_configs:\n  - job_name: bee\n    static_configs:\n      - targets: ['" + target + "']\n");
            Process p = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            PrometheusServer server = new PrometheusServer(dir, port, p);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited: " + log());
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/-/ready")
                        .toURL().openConnection();
                c.setConnectTimeout(500);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            sleep(100);
        }
        throw new IllegalStateException("prometheus did not become ready: " + log());
    }

    /** The value of an instant PromQL query that returns one series, if it returns one. */
    public OptionalDouble query(String promql) {
        JsonNode result = queryResult(promql);
        if (result.size() != 1) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Double.parseDouble(result.get(0).get("value").get(1).asText()));
    }

    /** The {@code data.result} array of an instant query. */
    public JsonNode queryResult(String promql) {
        try {
            String url = "http://127.0.0.1:" + port + "/api/v1/query?query="
                    + URLEncoder.encode(promql, StandardCharsets.UTF_8);
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            JsonNode body = JSON.readTree(c.getInputStream());
            if (!"success".equals(body.path("status").asText())) {
                throw new AssertionError("query " + promql + " failed: " + body);
            }
            return body.path("data").path("result");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until {@code promql} returns one series with the value {@code expected}; returns the last value
     * seen (for the assertion's message) after {@code timeout}.
     */
    public OptionalDouble await(String promql, double expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        OptionalDouble v = OptionalDouble.empty();
        while (System.nanoTime() < deadline) {
            v = query(promql);
            if (v.isPresent() && v.getAsDouble() == expected) {
                return v;
            }
            sleep(250);
        }
        return v;
    }

    /** Whether the target's last scrape succeeded ({@code up == 1}). */
    public boolean targetUp() {
        OptionalDouble up = query("up{job=\"bee\"}");
        return up.isPresent() && up.getAsDouble() == 1;
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp folder
        }
    }
}
