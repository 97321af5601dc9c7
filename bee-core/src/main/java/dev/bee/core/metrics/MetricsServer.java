package dev.bee.core.metrics;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.object.BpfObject;
import dev.bee.core.sink.RecordSink;
import dev.bee.core.watch.Runner;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The {@code /metrics} endpoint of a run: a registry holding the object's map metrics (fed by {@link
 * #sink()}) and, once the run is attached, bee's own ({@link RunMetrics}), served by the Prometheus
 * client's HTTP server, which negotiates OpenMetrics or the text format with the scraper. Bound at
 * start so that a taken port is reported before anything is loaded.
 */
public final class MetricsServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 9091;

    private final HTTPServer server;
    private final String url;
    private final PrometheusRegistry registry;
    private final MetricsSink sink;
    private final OwnLabels ownLabels;

    private MetricsServer(HTTPServer server, String url, PrometheusRegistry registry, MetricsSink sink,
                          OwnLabels ownLabels) {
        this.server = server;
        this.url = url;
        this.registry = registry;
        this.sink = sink;
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
            HTTPServer.Builder b = HTTPServer.builder().port(port).registry(registry);
            if (!address.isEmpty()) {
                b.inetAddress(InetAddress.getByName(address));
            }
            HTTPServer server = b.buildAndStart();
            String host = address.isEmpty() ? "0.0.0.0" : address.contains(":") ? "[" + address + "]" : address;
            return new MetricsServer(server, "http://" + host + ":" + server.getPort() + "/metrics", registry, sink, ownLabels);
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

    /** The sink that turns the run's records into the maps' metrics. */
    public RecordSink sink() {
        return sink;
    }

    /** Adds bee's own metrics of the run, once everything is attached. */
    public void watch(Runner.RunInfo run) {
        registry.register(new RunMetrics(run, sink, ownLabels));
    }

    /** Where the metrics are: {@code http://ADDRESS:PORT/metrics}. */
    public String url() {
        return url;
    }

    @Override
    public void close() {
        server.close();
    }
}
