package dev.bee.core.metrics;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How maps become metrics: the name prefix and naming, the bound on series per map, which field of a map
 * holds the observed value ({@code --hist-value-key}, {@code --gauge-value-key}), and histogram buckets
 * ({@code --hist-buckets}).
 *
 * @param prefix    metric name prefix, joined to the map name with {@code _} (empty: the map name alone)
 * @param maxSeries most label sets one map may have; past it new ones are dropped and counted
 * @param naming    bee's names and units, or BumbleBee's
 * @param valueKeys map name to the field that holds the observed value
 * @param buckets   map name to histogram upper bounds, increasing, in the unit the metric is exported in
 */
public record MetricsOptions(String prefix, int maxSeries, MetricNaming naming, Map<String, String> valueKeys,
                             Map<String, double[]> buckets) {
    public static final String DEFAULT_PREFIX = "ebpf_solo_io";
    public static final int DEFAULT_MAX_SERIES = 10_000;
    public static final String DEFAULT_NAMING = "bee";
    /** BumbleBee's default buckets. */
    static final double[] DEFAULT_BUCKETS = {0, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};
    /** Default buckets of a duration in seconds: 1, 2.5 and 5 times each power of ten from 1 µs to 10 s. */
    static final double[] DEFAULT_SECONDS_BUCKETS = {1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4,
            1e-3, 2.5e-3, 5e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    public MetricsOptions {
        valueKeys = Map.copyOf(valueKeys);
        buckets = Map.copyOf(buckets);
    }

    public static MetricsOptions defaults() {
        return new MetricsOptions(DEFAULT_PREFIX, DEFAULT_MAX_SERIES, MetricNaming.BEE, Map.of(), Map.of());
    }

    /** Parses the command line's forms, failing with a usage error that shows the right one. */
    public static MetricsOptions parse(String prefix, int maxSeries, String naming, List<String> valueKeySpecs,
                                       List<String> bucketSpecs) {
        MetricNaming names = MetricNaming.of(naming);
        if (names == null) {
            throw new BeeException(ErrorKind.USAGE, "--metric-names " + naming + ": expected bee or bumblebee",
                    "bee (the default) follows Prometheus' conventions; bumblebee keeps BumbleBee's names and units");
        }
        if (!prefix.isEmpty() && !METRIC_NAME.matcher(prefix).matches()) {
            throw new BeeException(ErrorKind.USAGE, "--metrics-prefix " + prefix + ": not a Prometheus metric name",
                    "use letters, digits and underscores, not starting with a digit (default " + DEFAULT_PREFIX + ")");
        }
        if (maxSeries < 1) {
            throw new BeeException(ErrorKind.USAGE, "--max-series must be at least 1");
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (String spec : valueKeySpecs) {
            String[] p = spec.split(",", -1);
            if (p.length != 2 || p[0].isBlank() || p[1].isBlank()) {
                throw new BeeException(ErrorKind.USAGE, "value key " + spec + ": expected MAP,FIELD",
                        "for example --hist-value-key hist_sleep_latency,latency");
            }
            keys.put(p[0].trim(), p[1].trim());
        }
        Map<String, double[]> bounds = new LinkedHashMap<>();
        for (String spec : bucketSpecs) {
            bounds.put(bucketMap(spec), bucketBounds(spec));
        }
        return new MetricsOptions(prefix, maxSeries, names, keys, bounds);
    }

    private static String bucketMap(String spec) {
        int comma = spec.indexOf(',');
        if (comma <= 0) {
            throw badBuckets(spec, "expected MAP,BOUND,BOUND,...");
        }
        return spec.substring(0, comma).trim();
    }

    /** {@code MAP,1,2,5} or BumbleBee's {@code MAP,[1,2,5]}. */
    private static double[] bucketBounds(String spec) {
        String list = spec.substring(spec.indexOf(',') + 1).trim();
        if (list.startsWith("[") && list.endsWith("]")) {
            list = list.substring(1, list.length() - 1);
        }
        String[] parts = list.split(",");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw badBuckets(spec, "'" + parts[i].trim() + "' is not a number");
            }
            if (!Double.isFinite(out[i])) {
                throw badBuckets(spec, "bounds must be finite (+Inf is always added)");
            }
            if (i > 0 && out[i] <= out[i - 1]) {
                throw badBuckets(spec, "bounds must increase");
            }
        }
        return out;
    }

    private static BeeException badBuckets(String spec, String why) {
        return new BeeException(ErrorKind.USAGE, "--hist-buckets " + spec + ": " + why,
                "for example --hist-buckets hist_sleep_latency,1e6,1e7,1e8 (or BumbleBee's MAP,[1,2,5])");
    }

    /** The upper bounds given for {@code map}, or null. */
    double[] bucketsGiven(String map) {
        double[] b = buckets.get(map);
        return b == null ? null : b.clone();
    }

    /** The upper bounds for a histogram of {@code map}: given, else the default for seconds or for raw values. */
    double[] bucketsFor(String map, boolean seconds) {
        double[] b = bucketsGiven(map);
        return b != null ? b : (seconds ? DEFAULT_SECONDS_BUCKETS : DEFAULT_BUCKETS).clone();
    }

    /** The metric name of {@code map} before a unit suffix. */
    String metricName(String map) {
        return naming.base(prefix, map);
    }

    @Override
    public String toString() {
        return "MetricsOptions[prefix=" + prefix + ", maxSeries=" + maxSeries + ", naming=" + naming
                + ", valueKeys=" + valueKeys
                + ", buckets=" + buckets.keySet().stream().map(k -> k + Arrays.toString(buckets.get(k))).toList() + "]";
    }
}
