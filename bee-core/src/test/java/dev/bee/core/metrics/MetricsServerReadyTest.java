package dev.bee.core.metrics;

import dev.bee.core.object.BpfObject;
import dev.bee.core.watch.Runner;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /-/ready answers 503 until the run is attached, then 200; /-/healthy always; other paths 404. */
class MetricsServerReadyTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(MetricsServer server, String path) throws Exception {
        URI uri = URI.create(server.url().replace("/metrics", path));
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyOnlyOnceEveryProgramIsAttached() throws Exception {
        try (MetricsServer server = MetricsServer.start(new BpfObject("t.o", "GPL", List.of(), List.of(), List.of(), null, null, null),
                MetricsOptions.defaults(), "127.0.0.1", freePort())) {
            assertEquals(503, get(server, "/-/ready").statusCode());
            assertEquals(200, get(server, "/-/healthy").statusCode());
            server.watch(new Runner.RunInfo(List.of("tracepoint/a/b"), List.of(), List::of, () -> false, Runner.RunInfo.NO_QUEUE));
            HttpResponse<String> ready = get(server, "/-/ready");
            assertEquals(200, ready.statusCode());
            assertTrue(ready.body().startsWith("ready"), ready.body());
            assertEquals(404, get(server, "/nothing").statusCode());
            assertEquals(200, get(server, "/metrics").statusCode());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
