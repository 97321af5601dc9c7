package dev.bee.core.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.io.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The pods of this node, from the Kubernetes API server: one list ({@code GET /api/v1/pods} with the
 * field selector {@code spec.nodeName=NODE}, paged), then a watch from the list's resource version
 * ({@code watch=1}, bookmarks on), read as JSON lines on a thread of its own; the caller waits up to 5 s
 * for the first list, so running pods are named from the first record. A watch that ends is
 * started again from the last version seen; {@code 410 Gone} (the version expired) lists again. Errors wait
 * 1 s doubling to 30 s and are said once. In a pod, the API server, token (read again at each connect:
 * kubelet rotates it) and CA come from the service account; the node from {@code NODE_NAME}.
 */
public final class PodWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PodWatcher.class);
    static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
    private static final int MAX_LINE = 8 * 1024 * 1024;
    private static final int MAX_PODS = 10_000;
    /** A page of 500 pods is a few MiB; more is no API server's answer. */
    private static final int MAX_LIST_PAGE = 64 * 1024 * 1024;
    private static final int MAX_PAGES = 100;

    /** A pod of this node as bee names it. */
    public record Pod(String uid, String namespace, String name, Map<String, String> labels) {
    }

    private final URI server;
    private final String node;
    private final Supplier<String> token;
    private final HttpClient http;
    private final Map<String, JsonNode> pods = new HashMap<>();
    private volatile Map<String, Pod> byUid = Map.of();
    private volatile Map<String, ContainerName> byContainer = Map.of();
    private volatile boolean synced;
    private volatile boolean closed;
    private String resourceVersion;
    private volatile boolean warned;
    private static final long FIRST_LIST_WAIT_NANOS = 5_000_000_000L;
    private final Thread thread;
    private final Thread timer;
    private volatile InputStream watching;
    private volatile long lastRead;
    /** The server ends a watch after {@value #WATCH_SECONDS} s; silence well past that is a dead connection. */
    private static final int WATCH_SECONDS = 300;
    private static final long STALL_NANOS = (WATCH_SECONDS + 60) * 1_000_000_000L;

    PodWatcher(URI server, String node, Supplier<String> token, HttpClient http) {
        this.server = server;
        this.node = node;
        this.token = token;
        this.http = http;
        this.thread = new Thread(this::loop, "bee-pod-watch");
        thread.setDaemon(true);
        this.timer = new Thread(() -> {
            while (!closed) {
                LockSupport.parkNanos(30_000_000_000L);
                closeIfStalled(System.nanoTime());
            }
        }, "bee-pod-watch-timer");
        timer.setDaemon(true);
    }

    /** Starts watching {@code server}'s pods of {@code node}. */
    static PodWatcher start(URI server, String node, Supplier<String> token, HttpClient http) {
        PodWatcher w = new PodWatcher(server, node, token, http);
        w.thread.start();
        w.timer.start();
        // the first list waited for (bounded), so the pods already running are named from the first record on
        long end = System.nanoTime() + FIRST_LIST_WAIT_NANOS;
        while (!w.synced && !w.warned && System.nanoTime() < end) {
            LockSupport.parkNanos(10_000_000L);
        }
        return w;
    }

    private void failed(Exception e) {
        if (!warned) {
            warned = true;
            LOG.warn("the pods of node {} cannot be watched at {} ({}): records carry no pod names until it "
                    + "answers", node, server, e.getMessage());
        }
    }

    /**
     * Watches from inside a pod, with the pod's service account.
     *
     * @throws IOException when this is no pod with a service account, or NODE_NAME is not set
     */
    public static PodWatcher inCluster() throws IOException {
        String host = System.getenv("KUBERNETES_SERVICE_HOST");
        String port = System.getenv("KUBERNETES_SERVICE_PORT");
        String node = System.getenv("NODE_NAME");
        if (host == null || port == null) {
            throw new IOException("not in a Kubernetes pod (KUBERNETES_SERVICE_HOST is not set)");
        }
        if (node == null || node.isBlank()) {
            throw new IOException("NODE_NAME is not set (give it the downward API's spec.nodeName)");
        }
        Path tokenFile = SERVICE_ACCOUNT.resolve("token");
        if (!Files.isReadable(tokenFile)) {
            throw new IOException("no service account token at " + tokenFile + " (automountServiceAccountToken: true)");
        }
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(SERVICE_ACCOUNT.resolve("ca.crt")))
                .connectTimeout(Duration.ofSeconds(10)).build();
        String h = host.contains(":") ? "[" + host + "]" : host;
        return start(URI.create("https://" + h + ":" + port), node, () -> {
            try {
                return Files.readString(tokenFile).trim();
            } catch (IOException e) {
                return "";
            }
        }, client);
    }

    private static SSLContext trusting(Path ca) throws IOException {
        try (InputStream in = Files.newInputStream(ca)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("the service account's CA " + ca + " is not usable: " + e.getMessage(), e);
        }
    }

    /** The pod with uid {@code uid}, or null. Never blocks. */
    public Pod pod(String uid) {
        return byUid.get(uid);
    }

    /** The names of container {@code id} (full id, without the runtime's scheme), or null. */
    public ContainerName container(String id) {
        return byContainer.get(id);
    }

    /**
     * Ends a watch whose connection went silent (a peer gone without a close never ends the read); the
     * loop then watches again from the last version. Called by the watcher's own timer.
     */
    void closeIfStalled(long now) {
        InputStream in = watching;
        if (in != null && now - lastRead > STALL_NANOS) {
            try {
                in.close();
            } catch (IOException e) {
                // closing only ends the read
            }
        }
    }

    /** Whether the first list has arrived. */
    public boolean synced() {
        return synced;
    }

    private void loop() {
        long backoff = 1000;
        while (!closed) {
            try {
                if (resourceVersion == null) {
                    list();
                }
                watch();
                backoff = 1000;
                if (warned) {
                    warned = false;
                    LOG.warn("the Kubernetes API server answers again: records carry pod names");
                }
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                failed(e);
                if (!pause(backoff)) {
                    return;
                }
                backoff = Math.min(backoff * 2, 30_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private String selector() {
        return "fieldSelector=" + URLEncoder.encode("spec.nodeName=" + node, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String query, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve("/api/v1/pods?" + query))
                .header("Accept", "application/json");
        if (timeout != null) {
            b.timeout(timeout);
        }
        String t = token.get();
        if (t != null && !t.isEmpty()) {
            b.header("Authorization", "Bearer " + t);
        }
        return b;
    }

    /** Lists this node's pods page by page; the last page's resource version starts the watch. */
    private void list() throws IOException, InterruptedException {
        pods.clear();
        String cont = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            String q = selector() + "&limit=500" + (cont == null ? "" : "&continue=" + URLEncoder.encode(cont, StandardCharsets.UTF_8));
            HttpResponse<InputStream> r = http.send(request(q, Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            JsonNode body;
            try (InputStream in = r.body()) {
                byte[] b = in.readNBytes(MAX_LIST_PAGE);
                if (r.statusCode() != 200) {
                    throw new IOException("HTTP " + r.statusCode() + " listing pods" + reason(b));
                }
                body = Json.mapper().readTree(b);
            }
            for (JsonNode p : body.path("items")) {
                if (pods.size() < MAX_PODS) {
                    pods.put(p.path("metadata").path("uid").asText(""), p);
                }
            }
            resourceVersion = body.path("metadata").path("resourceVersion").asText("");
            cont = body.path("metadata").path("continue").asText("");
            if (cont.isEmpty()) {
                break;
            }
        }
        publish();
        synced = true;
    }

    private static String reason(byte[] body) {
        try {
            String m = Json.mapper().readTree(body).path("message").asText("");
            return m.isEmpty() ? "" : ": " + m;
        } catch (IOException e) {
            return "";
        }
    }

    /** One watch, until the server ends it (its timeout) or says the version is gone. */
    private void watch() throws IOException, InterruptedException {
        String q = selector() + "&watch=1&allowWatchBookmarks=true&timeoutSeconds=" + WATCH_SECONDS + "&resourceVersion="
                + URLEncoder.encode(resourceVersion, StandardCharsets.UTF_8);
        HttpResponse<InputStream> r = http.send(request(q, null).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = new BufferedInputStream(r.body())) {
            if (r.statusCode() == 410) {
                resourceVersion = null;
                return;
            }
            if (r.statusCode() != 200) {
                throw new IOException("HTTP " + r.statusCode() + " watching pods" + reason(in.readNBytes(MAX_LINE)));
            }
            watching = in;
            lastRead = System.nanoTime();
            byte[] line;
            while (!closed && (line = readLine(in)) != null) {
                lastRead = System.nanoTime();
                if (line.length == 0) {
                    continue;
                }
                if (!apply(Json.mapper().readTree(line))) {
                    return;
                }
            }
        } finally {
            watching = null;
        }
    }

    /** Applies one watch event; false when the watch must start over from a new list. */
    boolean apply(JsonNode event) {
        String type = event.path("type").asText("");
        JsonNode pod = event.path("object");
        switch (type) {
            case "ADDED", "MODIFIED" -> {
                if (pods.size() < MAX_PODS || pods.containsKey(uid(pod))) {
                    pods.put(uid(pod), pod);
                }
            }
            case "DELETED" -> pods.remove(uid(pod));
            case "BOOKMARK" -> {
            }
            case "ERROR" -> {
                // a Status: 410 Gone means the version expired; list again
                if (pod.path("code").asInt() == 410) {
                    resourceVersion = null;
                } else {
                    throw new IllegalStateException("the watch failed: " + pod.path("message").asText(type));
                }
                return false;
            }
            default -> {
                return true;
            }
        }
        String rv = pod.path("metadata").path("resourceVersion").asText("");
        if (!rv.isEmpty()) {
            resourceVersion = rv;
        }
        if (!type.equals("BOOKMARK")) {
            publish();
        }
        return true;
    }

    private static String uid(JsonNode pod) {
        return pod.path("metadata").path("uid").asText("");
    }

    /** Rebuilds the maps the event path reads (a node runs some hundred pods: cheap). */
    private void publish() {
        Map<String, Pod> uids = new HashMap<>();
        Map<String, ContainerName> containers = new HashMap<>();
        for (JsonNode p : pods.values()) {
            JsonNode meta = p.path("metadata");
            Map<String, String> labels = new HashMap<>();
            meta.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText("")));
            Pod pod = new Pod(meta.path("uid").asText(""), meta.path("namespace").asText(""), meta.path("name").asText(""),
                    Map.copyOf(labels));
            uids.put(pod.uid(), pod);
            for (String kind : new String[]{"containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"}) {
                for (JsonNode c : p.path("status").path(kind)) {
                    String id = c.path("containerID").asText("");
                    int scheme = id.indexOf("://");
                    if (scheme >= 0) {
                        id = id.substring(scheme + 3);
                    }
                    if (!id.isEmpty()) {
                        containers.put(id, new ContainerName(c.path("name").asText(""), c.path("image").asText(""),
                                pod.namespace(), pod.name()));
                    }
                }
            }
        }
        byUid = Map.copyOf(uids);
        byContainer = Map.copyOf(containers);
    }

    /** One line of the watch stream, without its end; null at the end of the stream. Bounded. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                return line.toByteArray();
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("a watch event longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        LockSupport.unpark(timer);
        InputStream in = watching;
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                // closing only ends the read
            }
        }
    }
}
