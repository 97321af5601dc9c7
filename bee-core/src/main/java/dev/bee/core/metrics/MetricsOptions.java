package dev.bee.core.metrics;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How maps become metrics: the name prefix, the bound on series per map, which field of a map holds
 * the observed value ({@code --hist-value-key}, {@code --gauge-value-key}), and histogram buckets
 * ({@code --hist-buckets}).
 *
 * @param prefix    metric name prefix, joined to the map name with {@code _} (empty: the map name alone)
 * @param maxSeries most label sets one map may have; past it new ones are dropped and counted
 * @param valueKeys map name to the field that holds the observed value
 * @param buckets   map name to histogram upper bounds, increasing
 */
public record MetricsOptions(String prefix, int maxSeries, Map<String, String> valueKeys,
                             Map<String, double[]> buckets) {
    public static final String DEFAULT_PREFIX = "ebpf_solo_io";
    public static final int DEFAULT_MAX_SERIES = 10_000;
    /** BumbleBee's default buckets. */
    static final double[] DEFAULT_BUCKETS = {0, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    public MetricsOptions {
        valueKeys = Map.copyOf(valueKeys);
        buckets = Map.copyOf(buckets);
    }

    public static MetricsOptions defaults() {
        return new MetricsOptions(DEFAULT_PREFIX, DEFAULT_MAX_SERIES, Map.of(), Map.of());
    }

    /** Parses the command line's forms, failing with a usage error that shows the right one. */
    public static MetricsOptions parse(String prefix, int maxSeries, List<String> valueKeySpecs,
                                       List<String> bucketSpecs) {
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
        return new MetricsOptions(prefix, maxSeries, keys, bounds);
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

    /** The upper bounds for a histogram of {@code map}. */
    double[] bucketsFor(String map) {
        double[] b = buckets.get(map);
        return b != null ? b.clone() : DEFAULT_BUCKETS.clone();
    }

    /** The metric name of {@code map}. */
    String metricName(String map) {
        return prefix.isEmpty() ? map : prefix + "_" + map;
    }

    @Override
    public String toString() {
        return "MetricsOptions[prefix=" + prefix + ", maxSeries=" + maxSeries + ", valueKeys=" + valueKeys
                + ", buckets=" + buckets.keySet().stream().map(k -> k + Arrays.toString(buckets.get(k))).toList() + "]";
    }
}
