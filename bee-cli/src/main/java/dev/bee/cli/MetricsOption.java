package dev.bee.cli;

import dev.bee.core.metrics.MetricsOptions;
import dev.bee.core.metrics.MetricsServer;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The Prometheus flags of {@code bee run} (BumbleBee's names and short forms where it has them). */
final class MetricsOption {
    @Option(names = "--prom-port", paramLabel = "PORT", defaultValue = "" + MetricsServer.DEFAULT_PORT,
            description = "Serve Prometheus metrics on PORT at /metrics; 0 turns metrics off (default: ${DEFAULT-VALUE}).")
    int port = MetricsServer.DEFAULT_PORT;

    @Option(names = "--prom-address", paramLabel = "ADDRESS",
            description = "Address the metrics endpoint listens on (default: every interface; 127.0.0.1 for this machine only).")
    String address = "";

    @Option(names = "--metrics-prefix", paramLabel = "PREFIX", defaultValue = MetricsOptions.DEFAULT_PREFIX,
            description = "Metric names are PREFIX_<map name> (default: ${DEFAULT-VALUE}; empty for the map name alone).")
    String prefix = MetricsOptions.DEFAULT_PREFIX;

    @Option(names = "--metric-names", paramLabel = "bee|bumblebee", defaultValue = MetricsOptions.DEFAULT_NAMING,
            description = "bee: names and units as Prometheus advises (no counter_/gauge_/hist_ in names, durations"
                    + " in seconds); bumblebee: BumbleBee's names and raw values (default: ${DEFAULT-VALUE}).")
    String naming = MetricsOptions.DEFAULT_NAMING;

    @Option(names = "--max-series", paramLabel = "N", defaultValue = "" + MetricsOptions.DEFAULT_MAX_SERIES,
            description = "Most label sets per map; more are dropped and counted (default: ${DEFAULT-VALUE}).")
    int maxSeries = MetricsOptions.DEFAULT_MAX_SERIES;

    @Option(names = {"-b", "--hist-buckets"}, paramLabel = "MAP,BOUNDS",
            description = "Histogram bucket upper bounds of MAP, in the metric's unit (seconds for durations with"
                    + " --metric-names bee): MAP,1,2,5 or MAP,[1,2,5] (repeatable; default 0,10,20,50,100,200,500,1000,"
                    + "2000,5000, or 1e-6 to 10 for durations in seconds).")
    List<String> buckets = new ArrayList<>();

    @Option(names = {"-k", "--hist-value-key"}, paramLabel = "MAP,FIELD",
            description = "The field a hist_ ring buffer observes (default: le, else the last numeric field; repeatable).")
    List<String> histValueKeys = new ArrayList<>();

    @Option(names = "--gauge-value-key", paramLabel = "MAP,FIELD",
            description = "The field that sets a gauge_ ring buffer's value (default: the last numeric field; repeatable).")
    List<String> gaugeValueKeys = new ArrayList<>();

    boolean enabled() {
        return port != 0;
    }

    MetricsOptions options() {
        List<String> keys = new ArrayList<>(histValueKeys);
        keys.addAll(gaugeValueKeys);
        return MetricsOptions.parse(prefix, maxSeries, naming, keys, buckets);
    }
}
