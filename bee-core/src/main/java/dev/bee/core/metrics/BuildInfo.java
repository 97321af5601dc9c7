package dev.bee.core.metrics;

import dev.bee.core.runtime.Loader;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import java.util.List;

/**
 * {@code bee_build_info}: one series, always 1, whose labels say what runs: bee's version, libbpf's and the
 * kernel's release (joined onto other series with {@code * on (instance) group_left(version)}).
 */
final class BuildInfo implements Collector {
    static final String NAME = "bee_build_info";
    private final GaugeSnapshot snapshot;

    BuildInfo(OwnLabels labels) {
        String version = BuildInfo.class.getPackage().getImplementationVersion();
        snapshot = new GaugeSnapshot(new MetricMetadata(NAME,
                "bee: always 1; its labels are bee's version, libbpf's version and the kernel's release"),
                List.of(new GaugeSnapshot.GaugeDataPointSnapshot(1, labels.of(
                        "version", version == null ? "development" : version,
                        "libbpf_version", Loader.libbpfVersion().orElse("unknown"),
                        "kernel_release", System.getProperty("os.version", "unknown")), null)));
    }

    @Override
    public String getPrometheusName() {
        return NAME;
    }

    @Override
    public MetricSnapshot collect() {
        return snapshot;
    }
}
