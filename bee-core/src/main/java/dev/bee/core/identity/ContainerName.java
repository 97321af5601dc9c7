package dev.bee.core.identity;

/**
 * What a runtime calls a container: its name and image and, when the runtime says so (a Kubernetes
 * container, a pod's member), its pod's namespace and name. Empty strings where unknown.
 */
public record ContainerName(String name, String image, String podNamespace, String podName) {
}
