package dev.bee.core.metrics;

import io.prometheus.metrics.model.snapshots.Labels;

/**
 * The labels every one of bee's own series carries: {@code node}, from the {@code NODE_NAME} environment
 * variable that a pod sets from the downward API ({@code spec.nodeName}), so that series of a DaemonSet's
 * pods tell their nodes apart after a restart changes the pod's address; none where it is not set.
 *
 * @param node the node's name, or null
 */
public record OwnLabels(String node) {
    public static final String NODE_ENV = "NODE_NAME";

    /** From this process' environment. */
    public static OwnLabels fromEnvironment() {
        String node = System.getenv(NODE_ENV);
        return new OwnLabels(node == null || node.isBlank() ? null : node.trim());
    }

    /** {@code names} and {@code values} (alternating) plus the node label. */
    Labels of(String... nameValues) {
        Labels l = Labels.EMPTY;
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            l = l.add(nameValues[i], nameValues[i + 1]);
        }
        return node == null ? l : l.add("node", node);
    }
}
