package dev.bee.core.image.container;

import dev.bee.core.io.AtomicFiles;
import dev.bee.core.io.WriteError;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a Kubernetes DaemonSet that runs a packaged image on every node: the capabilities, host
 * namespaces and mounts of {@link PodSecurity} (each explained in a comment at the top, and
 * {@code privileged} only with the reason above it), the host's tracefs, debugfs, bpf filesystem and
 * kernel BTF, resource requests and limits, a read-only root with a scratch {@code /tmp}, a
 * readiness probe on {@code /metrics} and Prometheus' scrape annotations. YAML through Jackson, keys
 * in the order people expect.
 */
public final class DaemonSetWriter {
    /** Metadata label that selects the pods. */
    public static final String NAME_LABEL = "app.kubernetes.io/name";
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLWriteFeature.INDENT_ARRAYS_WITH_INDICATOR)
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .disable(YAMLWriteFeature.SPLIT_LINES)
            .build();

    /** CPU and memory requests and limits of the container. */
    public record Resources(String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {
        /** One event loop and a JVM: a tenth of a core and 256 MiB asked, one core and 512 MiB at most. */
        public static final Resources DEFAULT = new Resources("100m", "256Mi", "1", "512Mi");
    }

    /**
     * What the manifest describes.
     *
     * @param name      the DaemonSet's name (a DNS label; see {@link #nameFor})
     * @param namespace its namespace, or null to leave it to {@code kubectl -n}
     * @param image     the container image reference the nodes pull
     * @param run       the baked run flags (metrics port)
     * @param security  capabilities, host namespaces, privileged
     * @param resources requests and limits
     */
    public record Spec(String name, String namespace, String image, RunArguments run, PodSecurity security,
                       Resources resources) {
    }

    private DaemonSetWriter() {
    }

    /** Writes the manifest of {@code spec} to {@code file} (replaced atomically). */
    public static void write(Path file, Spec spec) {
        try {
            AtomicFiles.write(file, yaml(spec).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw WriteError.of(file, e, "choose another path for --k8s");
        }
    }

    /** The manifest as YAML text, comments first. */
    public static String yaml(Spec spec) {
        String body = YAML.writeValueAsString(manifest(spec));
        PodSecurity s = spec.security();
        if (s.isPrivileged()) {
            // Jackson writes no comments: put the reason right above the setting it explains.
            int at = body.indexOf("privileged: true");
            int lineStart = body.lastIndexOf('\n', at) + 1;
            String indent = body.substring(lineStart, at);
            body = body.substring(0, lineStart) + indent + "# privileged: " + s.privileged() + "\n" + body.substring(lineStart);
        }
        return header(spec) + body;
    }

    /** A DNS-1123 label for a DaemonSet named after image {@code repositoryPath}'s last component. */
    public static String nameFor(String repositoryPath) {
        String last = repositoryPath.substring(repositoryPath.lastIndexOf('/') + 1);
        String n = last.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        if (n.length() > 63) {
            n = n.substring(0, 63).replaceAll("-+$", "");
        }
        return n.isEmpty() ? "bee" : n;
    }

    private static String header(Spec spec) {
        PodSecurity s = spec.security();
        StringBuilder b = new StringBuilder();
        b.append("# DaemonSet written by bee package: runs ").append(spec.image()).append(" (bee run) on every node.\n");
        b.append("# Apply with: kubectl apply -f FILE").append(spec.namespace() == null ? " -n NAMESPACE" : "").append('\n');
        b.append("# Capabilities (all others dropped; bee runs as uid 0 and checks for it):\n");
        s.capabilities().forEach((cap, why) -> b.append("#   ").append(cap).append(": ").append(why).append('\n'));
        if (s.isPrivileged()) {
            b.append("# privileged: ").append(s.privileged()).append('\n');
        }
        if (s.needsHostPid()) {
            b.append("# hostPID: ").append(s.hostPid()).append('\n');
        }
        if (s.needsHostNetwork()) {
            b.append("# hostNetwork: ").append(s.hostNetwork()).append('\n');
        }
        if (s.needsCgroups()) {
            b.append("# /sys/fs/cgroup: ").append(s.cgroups()).append('\n');
        }
        b.append("# Host mounts: tracefs and debugfs (tracepoints, kprobes, uprobes), the bpf filesystem (pinning),\n");
        b.append("# the kernel's BTF (CO-RE relocations); kernels before 5.8 lack CAP_BPF and CAP_PERFMON: use privileged.\n");
        if (spec.run().metricsEnabled()) {
            b.append("# Prometheus scrapes /metrics on port ").append(spec.run().metricsPort())
                    .append(" (prometheus.io/* annotations); the readiness probe asks the same page.\n");
        }
        return b.toString();
    }

    static Map<String, Object> manifest(Spec spec) {
        PodSecurity s = spec.security();
        RunArguments run = spec.run();
        Map<String, Object> selectorLabels = map(NAME_LABEL, spec.name());

        Map<String, Object> metadata = map("name", spec.name());
        if (spec.namespace() != null) {
            metadata.put("namespace", spec.namespace());
        }
        metadata.put("labels", map(NAME_LABEL, spec.name(), "app.kubernetes.io/managed-by", "bee"));

        Map<String, Object> container = map("name", "bee", "image", spec.image(), "imagePullPolicy", "IfNotPresent");
        if (run.metricsEnabled()) {
            container.put("ports", List.of(map("name", "metrics", "containerPort", run.metricsPort(), "protocol", "TCP")));
            container.put("readinessProbe", map(
                    "httpGet", map("path", "/metrics", "port", "metrics"),
                    "initialDelaySeconds", 5, "periodSeconds", 10, "timeoutSeconds", 5, "failureThreshold", 3));
        }
        Resources r = spec.resources();
        container.put("resources", map(
                "requests", map("cpu", r.cpuRequest(), "memory", r.memoryRequest()),
                "limits", map("cpu", r.cpuLimit(), "memory", r.memoryLimit())));
        Map<String, Object> securityContext = map("runAsUser", 0);
        if (s.isPrivileged()) {
            securityContext.put("privileged", true);
        } else {
            securityContext.put("privileged", false);
            securityContext.put("allowPrivilegeEscalation", false);
            securityContext.put("capabilities", map("drop", List.of("ALL"), "add", List.copyOf(s.capabilities().keySet())));
        }
        securityContext.put("readOnlyRootFilesystem", true);
        container.put("securityContext", securityContext);

        List<Object> mounts = new ArrayList<>();
        List<Object> volumes = new ArrayList<>();
        hostPath(mounts, volumes, "tracefs", "/sys/kernel/tracing", false);
        hostPath(mounts, volumes, "debugfs", "/sys/kernel/debug", false);
        hostPath(mounts, volumes, "bpffs", "/sys/fs/bpf", false);
        hostPath(mounts, volumes, "btf", "/sys/kernel/btf", true);
        if (s.needsCgroups()) {
            hostPath(mounts, volumes, "cgroup", "/sys/fs/cgroup", false);
        }
        mounts.add(map("name", "tmp", "mountPath", "/tmp"));
        volumes.add(map("name", "tmp", "emptyDir", map()));
        container.put("volumeMounts", mounts);

        Map<String, Object> podSpec = new LinkedHashMap<>();
        if (s.needsHostPid()) {
            podSpec.put("hostPID", true);
        }
        if (s.needsHostNetwork()) {
            podSpec.put("hostNetwork", true);
            podSpec.put("dnsPolicy", "ClusterFirstWithHostNet");
        }
        podSpec.put("tolerations", List.of(map("operator", "Exists")));
        podSpec.put("terminationGracePeriodSeconds", 30);
        podSpec.put("containers", List.of(container));
        podSpec.put("volumes", volumes);

        Map<String, Object> templateMetadata = map("labels", selectorLabels);
        if (run.metricsEnabled()) {
            templateMetadata.put("annotations", map("prometheus.io/scrape", "true",
                    "prometheus.io/port", Integer.toString(run.metricsPort()), "prometheus.io/path", "/metrics"));
        }
        Map<String, Object> root = map("apiVersion", "apps/v1", "kind", "DaemonSet", "metadata", metadata);
        root.put("spec", map("selector", map("matchLabels", selectorLabels),
                "template", map("metadata", templateMetadata, "spec", podSpec)));
        return root;
    }

    private static void hostPath(List<Object> mounts, List<Object> volumes, String name, String path, boolean readOnly) {
        Map<String, Object> mount = map("name", name, "mountPath", path);
        if (readOnly) {
            mount.put("readOnly", true);
        }
        mounts.add(mount);
        volumes.add(map("name", name, "hostPath", map("path", path, "type", "Directory")));
    }

    /** An insertion-ordered map of key, value, key, value... */
    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
