package dev.bee.cli.startup;

import dev.bee.core.image.Digests;
import dev.bee.core.image.MediaTypes;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The few calls of the distribution API that a push and a pull make, kept in memory, on one thread:
 * HTTP/1.1, one request per connection. Like the CNCF registry it answers a TLS handshake with a 400 in
 * plain text, which is how bee's probe of a loopback registry finds plain HTTP at once.
 */
final class TrainingRegistry implements AutoCloseable {
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
    private final ServerSocket socket;

    TrainingRegistry() throws IOException {
        socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::serve, "bee-cds-training-registry");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket c = socket.accept()) {
                c.setSoTimeout(5000);
                answer(new BufferedInputStream(c.getInputStream()), c.getOutputStream());
            } catch (IOException e) {
                // closed, or a client that went away
            }
        }
    }

    private void answer(InputStream in, OutputStream out) throws IOException {
        in.mark(1);
        if (in.read() == 0x16) { // a TLS handshake
            reply(out, 400, null, new byte[0], false);
            return;
        }
        in.reset();
        String line = readLine(in);
        String[] request = line.split(" ");
        long length = 0;
        for (String h = readLine(in); !h.isEmpty(); h = readLine(in)) {
            if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Long.parseLong(h.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes((int) length);
        String method = request[0];
        URI uri = URI.create(request[1]);
        String path = uri.getPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        boolean head = method.equals("HEAD");
        if (path.equals("/v2/")) {
            reply(out, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8), head);
        } else if (method.equals("POST") && path.endsWith("/blobs/uploads/")) {
            out.write(("HTTP/1.1 202 Accepted\r\nLocation: /upload/1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        } else if (method.equals("PUT") && path.startsWith("/upload/")) {
            String query = uri.getQuery();
            blobs.put(query.substring(query.indexOf("digest=") + 7), body);
            reply(out, 201, null, new byte[0], false);
        } else if (method.equals("PUT") && path.contains("/manifests/")) {
            manifests.put(last, body);
            manifests.put(Digests.sha256(body), body);
            reply(out, 201, null, new byte[0], false);
        } else if (path.contains("/manifests/") && manifests.containsKey(last)) {
            reply(out, 200, MediaTypes.OCI_MANIFEST, manifests.get(last), head);
        } else if (path.contains("/blobs/") && blobs.containsKey(last)) {
            reply(out, 200, "application/octet-stream", blobs.get(last), head);
        } else {
            reply(out, 404, "application/json", "{\"errors\":[]}".getBytes(StandardCharsets.UTF_8), head);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    private static void reply(OutputStream out, int status, String type, byte[] body, boolean head)
            throws IOException {
        StringBuilder h = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\n");
        if (type != null) {
            h.append("Content-Type: ").append(type).append("\r\nDocker-Content-Digest: ").append(Digests.sha256(body))
                    .append("\r\n");
        }
        h.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
        if (!head) {
            out.write(body);
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
