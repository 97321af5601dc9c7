package dev.bee.core.metrics;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.object.BpfObject;
import dev.bee.core.sink.RecordSink;
import dev.bee.core.watch.Runner;
import io.prometheus.metrics.exporter.httpserver.HealthyHandler;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code /metrics} endpoint of a run: a registry holding the object's map metrics (fed by {@link
 * #sink()}) and, once the run is attached, bee's own ({@link RunMetrics}), served by the Prometheus
 * client's handlers, which negotiate OpenMetrics or the text format with the scraper. Bound at start so
 * that a taken port is reported before anything is loaded.
 *
 * <p>The handlers run on the JDK's HTTP server, made here rather than by the client's {@code HTTPServer}
 * (whose listen backlog is 3 and whose 10 threads ten slow clients hold): a backlog of {@value #BACKLOG},
 * {@value #WORKERS} worker threads, the server's own time limits for requests and answers, and only GET
 * and HEAD without a body, so that slow, idle or hostile connections from any host cannot starve scrapes
 * (docs/metrics.md says what holds).
 */
public final class MetricsServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 9091;
    /** Connections waiting to be accepted: a burst of scrapers must not find the queue full. */
    static final int BACKLOG = 1024;
    /** Requests served at once: more than the slow connections a scrape must outlast. */
    static final int WORKERS = 100;

    /**
     * The JDK server's limits, read once when its first server is made (so set here, before that; a value the
     * user set with -D stays): a request must arrive, headers and body, within 2 s and an answer be taken
     * within 30 s, both checked every 250 ms; a connection that sends nothing is closed after 2 s (checked
     * every second), an idle one after 30 s; at most 1000 connections; and at most 1 byte of a refused
     * request's body is read (the connection is closed instead of drained).
     */
    private static final Map<String, String> LIMITS = Map.of(
            "sun.net.httpserver.maxReqTime", "2",
            "sun.net.httpserver.maxRspTime", "30",
            "sun.net.httpserver.timerMillis", "250",
            "sun.net.httpserver.clockTick", "1000",
            "sun.net.httpserver.idleInterval", "30",
            "sun.net.httpserver.drainAmount", "1",
            "jdk.httpserver.maxConnections", "1000");

    static {
        LIMITS.forEach((k, v) -> {
            if (System.getProperty(k) == null) {
                System.setProperty(k, v);
            }
        });
    }

    private final HttpServer server;
    private final ExecutorService workers;
    private final String url;
    private final PrometheusRegistry registry;
    private final MetricsSink sink;
    private final ReadyHandler readiness;
    private final OwnLabels ownLabels;

    private MetricsServer(HttpServer server, ExecutorService workers, String url, PrometheusRegistry registry,
                          MetricsSink sink, ReadyHandler readiness, OwnLabels ownLabels) {
        this.server = server;
        this.workers = workers;
        this.url = url;
        this.registry = registry;
        this.sink = sink;
        this.readiness = readiness;
        this.ownLabels = ownLabels;
    }

    /**
     * Serves the metrics of {@code object}'s maps and {@code bee_build_info} on {@code address} (empty: every
     * interface) and {@code port} (0 is not allowed here: the caller turns metrics off instead).
     */
    public static MetricsServer start(BpfObject object, MetricsOptions options, String address, int port) {
        PrometheusRegistry registry = new PrometheusRegistry();
        MetricsSink sink = new MetricsSink(object.maps(), MapOrigin.of(object), options, registry);
        OwnLabels ownLabels = OwnLabels.fromEnvironment();
        registry.register(new BuildInfo(ownLabels));
        String where = (address.isEmpty() ? "*" : address) + ":" + port;
        try {
            InetSocketAddress bind = address.isEmpty() ? new InetSocketAddress(port)
                    : new InetSocketAddress(InetAddress.getByName(address), port);
            HttpServer server = HttpServer.create(bind, BACKLOG);
            ReadyHandler readiness = new ReadyHandler();
            server.createContext("/metrics", scrapesOnly(new MetricsHandler(registry)));
            server.createContext("/-/healthy", scrapesOnly(new HealthyHandler()));
            server.createContext("/", scrapesOnly(readiness));
            ExecutorService workers = workers();
            server.setExecutor(workers);
            server.start();
            String host = address.isEmpty() ? "0.0.0.0" : address.contains(":") ? "[" + address + "]" : address;
            return new MetricsServer(server, workers, "http://" + host + ":" + server.getAddress().getPort() + "/metrics",
                    registry, sink, readiness, ownLabels);
        } catch (UnknownHostException e) {
            throw new BeeException(ErrorKind.USAGE, "--prom-address " + address + ": not an address of this machine",
                    "give an IP address such as 127.0.0.1, or leave it out for every interface");
        } catch (BindException e) {
            throw new BeeException(ErrorKind.USAGE, "cannot serve metrics on " + where + ": " + e.getMessage(),
                    "another process uses the port: pick another with --prom-port N, or --prom-port 0 for no metrics");
        } catch (IOException e) {
            throw new BeeException(ErrorKind.USAGE, "cannot serve metrics on " + where + ": " + e.getMessage(),
                    "check --prom-address and --prom-port, or --prom-port 0 for no metrics");
        }
    }

    /** {@value #WORKERS} daemon threads at most, started as requests come and ended after a minute idle. */
    private static ExecutorService workers() {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(WORKERS, WORKERS, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "bee-metrics-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * {@code h} for GET and HEAD without a body; anything else is refused before a byte of its body is read
     * (405 for another method, 413 for a body), and its connection closed rather than drained.
     */
    static HttpHandler scrapesOnly(HttpHandler h) {
        return x -> {
            String method = x.getRequestMethod();
            String length = x.getRequestHeaders().getFirst("Content-Length");
            boolean body = x.getRequestHeaders().containsKey("Transfer-Encoding")
                    || length != null && !length.trim().equals("0");
            int refused = !method.equals("GET") && !method.equals("HEAD") ? 405 : body ? 413 : 0;
            if (refused == 0) {
                h.handle(x);
                return;
            }
            try (x) {
                x.getResponseHeaders().set("Allow", "GET, HEAD");
                x.getResponseHeaders().set("Connection", "close");
                x.sendResponseHeaders(refused, -1);
            }
        };
    }

    /** The sink that turns the run's records into the maps' metrics. */
    public RecordSink sink() {
        return sink;
    }

    /** Adds bee's own metrics of the run, once everything is attached, and answers /-/ready from then on. */
    public void watch(Runner.RunInfo run) {
        registry.register(new RunMetrics(run, sink, ownLabels));
        readiness.ready();
    }

    /** Where the metrics are: {@code http://ADDRESS:PORT/metrics}. */
    public String url() {
        return url;
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
