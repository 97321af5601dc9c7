package dev.bee.cli;

import com.sun.net.httpserver.HttpExchange;
import dev.bee.core.image.Digests;

import java.io.IOException;
import java.io.OutputStream;

/** How the scripted registries of the tests answer: a status, a type and a body, as the distribution API does. */
final class RegistryReplies {
    private RegistryReplies() {
    }

    /**
     * Sends {@code body} with {@code code}; with a {@code type}, also its Content-Type and digest. A HEAD
     * request or an empty body gets the headers alone.
     */
    static void send(HttpExchange x, int code, String type, byte[] body) throws IOException {
        if (type != null) {
            x.getResponseHeaders().set("Content-Type", type);
            x.getResponseHeaders().set("Docker-Content-Digest", Digests.sha256(body));
        }
        if (x.getRequestMethod().equals("HEAD") || body.length == 0) {
            x.getResponseHeaders().set("Content-Length", Long.toString(body.length));
            x.sendResponseHeaders(code, -1);
            return;
        }
        x.sendResponseHeaders(code, body.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(body);
        }
    }
}
