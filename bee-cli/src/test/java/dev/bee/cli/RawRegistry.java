package dev.bee.cli;

import dev.bee.core.image.Digests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes images into a registry byte for byte over the distribution API, as other tools (BumbleBee's
 * Go client, bpfman's build, Inspektor Gadget) would have pushed them: the test decides every byte
 * of every manifest. Also small helpers to build such images (tar layers) and to snapshot a store.
 */
final class RawRegistry {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String host;

    RawRegistry(String host) {
        this.host = host;
    }

    /** Uploads a blob (POST then PUT with the digest); returns its digest. */
    String blob(String repo, byte[] data) {
        String digest = Digests.sha256(data);
        HttpResponse<String> start = send(HttpRequest.newBuilder(uri("/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        expect(start, 202);
        String location = start.headers().firstValue("Location").orElseThrow();
        URI put = URI.create(location.startsWith("http") ? location : "http://" + host + location);
        String sep = put.toString().contains("?") ? "&" : "?";
        HttpResponse<String> done = send(HttpRequest.newBuilder(URI.create(put + sep + "digest=" + digest))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build());
        expect(done, 201);
        return digest;
    }

    /** Puts a manifest or index under {@code reference} (a tag or a digest); returns its digest. */
    String manifest(String repo, String reference, String mediaType, byte[] body) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/v2/" + repo + "/manifests/" + reference))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        expect(r, 201);
        return Digests.sha256(body);
    }

    private URI uri(String path) {
        return URI.create("http://" + host + path);
    }

    private HttpResponse<String> send(HttpRequest req) {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void expect(HttpResponse<String> r, int code) {
        if (r.statusCode() != code) {
            throw new AssertionError(r.request().method() + " " + r.uri() + " -> " + r.statusCode() + ": " + r.body());
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A descriptor's JSON. */
    static String descriptor(String mediaType, byte[] content, String extra) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + Digests.sha256(content) + "\",\"size\":"
                + content.length + (extra == null ? "" : "," + extra) + "}";
    }

    /** A gzip-compressed ustar archive with one regular file. */
    static byte[] tarGz(String name, byte[] content) {
        try {
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            byte[] header = new byte[512];
            put(header, 0, name, 100);
            put(header, 100, "0000644", 8);
            put(header, 108, "0000000", 8);
            put(header, 116, "0000000", 8);
            put(header, 124, String.format("%011o", content.length), 12);
            put(header, 136, "00000000000", 12);
            java.util.Arrays.fill(header, 148, 156, (byte) ' ');
            header[156] = '0';
            put(header, 257, "ustar", 6);
            put(header, 263, "00", 2);
            long sum = 0;
            for (byte b : header) {
                sum += b & 0xff;
            }
            put(header, 148, String.format("%06o", sum), 7);
            header[155] = ' ';
            tar.write(header);
            tar.write(content);
            tar.write(new byte[(512 - content.length % 512) % 512]);
            tar.write(new byte[1024]);
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
                out.write(tar.toByteArray());
            }
            return gz.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void put(byte[] header, int off, String s, int max) {
        byte[] b = utf8(s);
        System.arraycopy(b, 0, header, off, Math.min(b.length, max));
    }

    /** Every regular file under {@code dir} with its digest (empty when the folder does not exist). */
    static Map<String, String> snapshot(Path dir) {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), Digests.sha256(Files.readAllBytes(p)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
