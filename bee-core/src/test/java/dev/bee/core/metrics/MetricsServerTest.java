package dev.bee.core.metrics;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The endpoint serves GET and HEAD and refuses anything else at once, before a byte of a body arrives:
 * each request below announces a body it never sends. The endpoint under slow clients and 500 scrapers
 * is MetricsEndpointIT's (a real run).
 */
class MetricsServerTest {
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
        try (MetricsServer server = MetricsServer.start(List.of(), MetricsOptions.defaults(), "127.0.0.1", port)) {
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
}
