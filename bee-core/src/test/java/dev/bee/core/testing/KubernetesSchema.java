package dev.bee.core.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a manifest against the Kubernetes API as its OpenAPI schema defines it, through the models
 * that the official Java client generates from that schema: unknown fields, missing required fields
 * and wrong types are errors (kubeconform and kubeval are not packaged for this machine). The
 * Prometheus Operator's PodMonitor is a custom resource the client has no model of: its required
 * fields are checked by hand, from the operator's CRD.
 */
public final class KubernetesSchema {
    private KubernetesSchema() {
    }

    /** Fails with the validator's message unless {@code yaml} is a valid apps/v1 DaemonSet. */
    public static void validateDaemonSet(String yaml) {
        validate("DaemonSet", new YAMLMapper().readTree(yaml).toString());
    }

    /**
     * Fails unless every document of {@code yaml} is a valid object of its kind; returns the kinds in order.
     */
    public static List<String> validateManifest(String yaml) {
        List<String> kinds = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---$")) {
            if (doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                continue;
            }
            JsonNode node = new YAMLMapper().readTree(doc);
            String kind = node.path("kind").asString();
            validate(kind, node.toString());
            kinds.add(kind);
        }
        return kinds;
    }

    private static void validate(String kind, String json) {
        JsonElement element = JsonParser.parseString(json);
        try {
            switch (kind) {
                case "DaemonSet" -> V1DaemonSet.validateJsonElement(element);
                case "Namespace" -> V1Namespace.validateJsonElement(element);
                case "Service" -> V1Service.validateJsonElement(element);
                case "PodMonitor" -> podMonitor(new YAMLMapper().readTree(json));
                default -> throw new AssertionError("no schema for kind " + kind);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new AssertionError("not a valid " + kind + " by the Kubernetes OpenAPI schema: " + e.getMessage(), e);
        }
    }

    /** monitoring.coreos.com/v1 PodMonitor: a selector and endpoints that name a port. */
    private static void podMonitor(JsonNode n) {
        if (!"monitoring.coreos.com/v1".equals(n.path("apiVersion").asString())
                || n.path("metadata").path("name").asString().isEmpty()
                || !n.path("spec").path("selector").isObject()
                || !n.path("spec").path("podMetricsEndpoints").isArray()
                || n.path("spec").path("podMetricsEndpoints").isEmpty()) {
            throw new IllegalArgumentException("a PodMonitor needs apiVersion monitoring.coreos.com/v1, metadata.name,"
                    + " spec.selector and spec.podMetricsEndpoints: " + n);
        }
        for (JsonNode e : n.path("spec").path("podMetricsEndpoints")) {
            if (e.path("port").asString().isEmpty()) {
                throw new IllegalArgumentException("a podMetricsEndpoint names its port: " + e);
            }
        }
    }
}
