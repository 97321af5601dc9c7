package dev.bee.core.testing;

import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;

/**
 * Checks a manifest against the Kubernetes API as its OpenAPI schema defines it, through the models
 * that the official Java client generates from that schema: unknown fields, missing required fields
 * and wrong types are errors (kubeconform and kubeval are not packaged for this machine).
 */
public final class KubernetesSchema {
    private KubernetesSchema() {
    }

    /** Fails with the validator's message unless {@code yaml} is a valid apps/v1 DaemonSet. */
    public static void validateDaemonSet(String yaml) {
        String json = new YAMLMapper().readTree(yaml).toString();
        try {
            V1DaemonSet.validateJsonElement(JsonParser.parseString(json));
        } catch (IOException | IllegalArgumentException e) {
            throw new AssertionError("not a valid DaemonSet by the Kubernetes OpenAPI schema: " + e.getMessage(), e);
        }
    }
}
