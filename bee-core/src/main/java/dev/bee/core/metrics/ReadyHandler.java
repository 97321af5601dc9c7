package dev.bee.core.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The endpoint's paths besides {@code /metrics} and {@code /-/healthy}: {@code /-/ready}, 200 once every
 * program is attached and 503 before (what a pod's startup and readiness probes ask, without rendering
 * the metrics), and a short page at {@code /}; 404 elsewhere.
 */
final class ReadyHandler implements HttpHandler {
    private volatile boolean ready;

    void ready() {
        ready = true;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        int status;
        String body;
        if (path.equals("/-/ready")) {
            status = ready ? 200 : 503;
            body = ready ? "ready: every program is attached\n" : "not ready: loading and attaching\n";
        } else if (path.equals("/")) {
            status = 200;
            body = "bee run: /metrics (Prometheus), /-/healthy, /-/ready\n";
        } else {
            status = 404;
            body = "not found: bee serves /metrics, /-/healthy and /-/ready\n";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }
}
