package dev.bee.core.metrics;

import dev.bee.core.object.BpfObject;
import dev.bee.core.object.MapSpec;
import dev.bee.core.object.MapType;
import dev.bee.core.object.OutputKind;
import dev.bee.core.sink.MapRecord;
import dev.bee.core.testing.Exposition;
import dev.bee.core.testing.RegistryServer;
import dev.bee.core.watch.Runner;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The endpoint's registrations (bee_build_info from the start, bee's own metrics once the run is attached),
 * and what it serves: GET and HEAD and refuses anything else at once, before a byte of a body arrives:
 * each request below announces a body it never sends. The endpoint under slow clients and 500 scrapers
 * is MetricsEndpointIT's (a real run).
 */
class MetricsServerTest {
    private static final BpfObject EMPTY = new BpfObject("t.o", "GPL", List.of(), List.of(), List.of(), null, null, null);

    private static String statusLine(int port, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(2000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            StringBuilder line = new StringBuilder();
            for (int c = s.getInputStream().read(); c >= 0 && c != '\r'; c = s.getInputStream().read()) {
                line.append((char) c);
            }
            return line.toString();
        }
    }

    @Test
    void onlyScrapesWithoutABodyAreServed() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (MetricsServer server = MetricsServer.start(EMPTY, MetricsOptions.defaults(), "127.0.0.1", port)) {
            assertEquals("http://127.0.0.1:" + port + "/metrics", server.url());
            String announced = "Host: x\r\nContent-Length: 1000000000\r\n\r\n";
            assertEquals("HTTP/1.1 405 Method Not Allowed", statusLine(port, "POST /metrics HTTP/1.1\r\n" + announced));
            assertEquals("HTTP/1.1 405 Method Not Allowed", statusLine(port, "PUT /-/healthy HTTP/1.1\r\n" + announced));
            assertEquals("HTTP/1.1 405 Method Not Allowed", statusLine(port, "OPTIONS / HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertEquals("HTTP/1.1 413 Request Entity Too Large", statusLine(port, "GET /metrics HTTP/1.1\r\n" + announced));
            assertEquals("HTTP/1.1 413 Request Entity Too Large", statusLine(port,
                    "GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
            assertEquals("HTTP/1.1 200 OK", statusLine(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertEquals("HTTP/1.1 200 OK", statusLine(port, "HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertEquals("HTTP/1.1 200 OK", statusLine(port, "GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertTrue(statusLine(port, "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").endsWith("200 OK"));
        }
    }

    @Test
    void aMapMetricCannotTakeOneOfBeesOwnNames() throws java.io.IOException {
        MapSpec spec = new MapSpec("counter_map_records", ".maps", MapType.HASH, 4, 8, 16, 0, false,
                OutputKind.of("counter_map_records", ".maps"), null, null, 0, 0);
        BpfObject object = new BpfObject("t.o", "GPL", List.of(), List.of(spec), List.of(), null, null, null);
        int port = RegistryServer.freePort();
        try (MetricsServer server = MetricsServer.start(object,
                MetricsOptions.parse("bee", 100, "bee", List.of(), List.of()), "127.0.0.1", port)) {
            server.sink().write(new MapRecord("counter_map_records", MapRecord.Kind.ENTRY, Instant.EPOCH,
                    Map.of("cpu", 0L), Map.of("value", 5L)));
            server.watch(new Runner.RunInfo(List.of(), List.of(), List::of, () -> false, Runner.RunInfo.NO_QUEUE));
            Exposition e = Exposition.scrape(server.url().replace("0.0.0.0", "127.0.0.1"), null);
            // The map's metric is left out (with a warning); bee's own are served.
            assertTrue(e.find("bee_map_records_total", "cpu", "0").isEmpty(), e.body());
            assertEquals(0, e.value("bee_program_stats_enabled").orElseThrow(), e.body());
            assertEquals(1, e.find("bee_build_info").size(), e.body());
        }
    }
}
