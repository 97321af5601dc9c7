package dev.bee.core.image.container;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.io.AtomicFiles;
import dev.bee.core.io.WriteError;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes the Kubernetes manifest that runs a packaged image on every node: a DaemonSet with the
 * capabilities, host namespaces and mounts of {@link PodSecurity} (each explained in a comment at the top,
 * and {@code privileged} only with the reason above it), seccomp and AppArmor unconfined (runtime default
 * profiles refuse {@code bpf(2)} without CAP_SYS_ADMIN), the host's tracefs, debugfs, bpf filesystem and
 * kernel BTF, resource requests and limits, a read-only root with a scratch {@code /tmp}, startup,
 * readiness and liveness probes on bee's endpoint, the node's name from the downward API, no records in
 * the log unless the flags choose an output, and Prometheus' scrape annotations. Optionally the Namespace
 * with the Pod Security level the pod needs, and a Service with a PodMonitor. YAML through snakeyaml-engine, keys
 * in the order people expect, one document per object.
 */
public final class DaemonSetWriter {
    /** Metadata label that selects the pods. */
    public static final String NAME_LABEL = "app.kubernetes.io/name";
    /**
     * Template label with the first 12 hex digits of the eBPF image's digest: a label value holds at most 63
     * characters (the whole digest is the image's {@code dev.bee.ebpf.digest} label).
     */
    public static final String DIGEST_KEY = "bee.dev/program-digest";
    /** The container's name, which the per-container annotations name. */
    static final String CONTAINER = "bee";
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]");
    private static final Pattern MAX_UNAVAILABLE = Pattern.compile("[1-9][0-9]{0,5}|([1-9][0-9]?|100)%");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    /** Block style, sequences indented under their key, no line splitting; strings quoted only when needed. */
    private static final Dump YAML = new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK)
            .setIndent(2).setIndicatorIndent(2).setIndentWithIndicator(true).setSplitLines(false).build());

    /** CPU and memory requests and limits of the container. */
    public record Resources(String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {
        /** One event loop and a JVM: a tenth of a core and 256 MiB asked, one core and 512 MiB at most. */
        public static final Resources DEFAULT = new Resources("100m", "256Mi", "1", "512Mi");
    }

    /**
     * What the person packaging chose for the manifest (bee package's --k8s-* flags).
     *
     * @param name              the DaemonSet's name, or null for the image's (see {@link #nameFor})
     * @param namespace         its namespace, or null to leave it to {@code kubectl -n}; when given, the file
     *                          also creates the Namespace with the Pod Security label the pod needs
     * @param maxUnavailable    the rolling update's maxUnavailable: a number of nodes or a percentage
     * @param priorityClassName the pods' priority class, or null
     * @param monitor           whether to add a Service and a Prometheus Operator PodMonitor
     */
    public record Options(String name, String namespace, String maxUnavailable, String priorityClassName,
                          boolean monitor) {
        public Options {
            if (maxUnavailable == null || !MAX_UNAVAILABLE.matcher(maxUnavailable).matches()) {
                throw new BeeException(ErrorKind.USAGE, "--k8s-max-unavailable " + maxUnavailable
                        + ": not a number of nodes or a percentage", "for example --k8s-max-unavailable 1 or 10%");
            }
            if (priorityClassName != null && !DNS_SUBDOMAIN.matcher(priorityClassName).matches()) {
                throw new BeeException(ErrorKind.USAGE, "--k8s-priority-class " + priorityClassName
                        + ": not a Kubernetes object name", "for example --k8s-priority-class system-node-critical");
            }
            if (namespace != null && !namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
                throw new BeeException(ErrorKind.USAGE, "--k8s-namespace " + namespace + ": not a namespace name",
                        "lower-case letters, digits and '-', at most 63");
            }
        }

        /** No choices: one node at a time, no priority class, no monitoring objects. */
        public static Options defaults() {
            return new Options(null, null, "1", null, false);
        }
    }

    /**
     * What the manifest describes.
     *
     * @param name          the DaemonSet's name (a DNS label)
     * @param image         the container image reference the nodes pull
     * @param run           the baked run flags (metrics port, output, pins)
     * @param security      capabilities, host namespaces, privileged
     * @param resources     requests and limits
     * @param options       the person's choices
     * @param beeVersion    the version of the bee in the image (a label)
     * @param programDigest the eBPF image's manifest digest (a label and an annotation)
     */
    public record Spec(String name, String image, RunArguments run, PodSecurity security, Resources resources,
                       Options options, String beeVersion, String programDigest) {
    }

    private DaemonSetWriter() {
    }

    /**
     * Refuses flags the manifest cannot be written for, so that a caller can check before it builds the
     * image: pod enrichment needs a namespace, which its ClusterRoleBinding names.
     */
    public static void checkOptions(RunArguments run, Options options) {
        if (run.podEnrichment() && options.namespace() == null) {
            throw new BeeException(ErrorKind.USAGE, "--enrich pod needs --k8s-namespace: the ClusterRoleBinding names "
                    + "the service account's namespace", "for example --k8s-namespace bee-system");
        }
    }

    /** Writes the manifest of {@code spec} to {@code file} (replaced atomically). */
    public static void write(Path file, Spec spec) {
        try {
            AtomicFiles.write(file, yaml(spec).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw WriteError.of(file, e, "choose another path for --k8s");
        }
    }

    /** The manifest as YAML text: comments first, then one document per object. */
    public static String yaml(Spec spec) {
        List<String> docs = new ArrayList<>();
        if (spec.options().namespace() != null) {
            docs.add(YAML.dumpToString(namespace(spec)));
        }
        docs.add(daemonSetYaml(spec));
        if (spec.run().podEnrichment()) {
            podReaderRbac(spec).forEach(d -> docs.add(YAML.dumpToString(d)));
        }
        if (spec.options().monitor() && spec.run().metricsEnabled()) {
            docs.add(YAML.dumpToString(service(spec)));
            docs.add(YAML.dumpToString(podMonitor(spec)));
        }
        return header(spec) + String.join("---\n", docs);
    }

    private static String daemonSetYaml(Spec spec) {
        String body = YAML.dumpToString(manifest(spec));
        PodSecurity s = spec.security();
        if (s.isPrivileged()) {
            // Jackson writes no comments: put the reason right above the setting it explains.
            int at = body.indexOf("privileged: true");
            int lineStart = body.lastIndexOf('\n', at) + 1;
            String indent = body.substring(lineStart, at);
            body = body.substring(0, lineStart) + indent + "# privileged: " + s.privileged() + "\n" + body.substring(lineStart);
        }
        return body;
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
        RunArguments run = spec.run();
        String ns = spec.options().namespace();
        StringBuilder b = new StringBuilder();
        b.append("# DaemonSet written by bee package: runs ").append(spec.image()).append(" (bee run) on every node.\n");
        b.append("# Apply with: kubectl apply -f FILE").append(ns == null ? " -n NAMESPACE" : "").append('\n');
        b.append("# Capabilities (all others dropped; bee runs as uid 0 and checks for it):\n");
        s.capabilities().forEach((cap, why) -> b.append("#   ").append(cap).append(": ").append(why).append('\n'));
        if (s.isPrivileged()) {
            b.append("# privileged: ").append(s.privileged()).append('\n');
        } else {
            b.append("# seccompProfile Unconfined: the runtime's default profile (podman's, and containerd's and\n");
            b.append("#   CRI-O's RuntimeDefault on many versions) allows bpf(2) and perf_event_open(2) only with\n");
            b.append("#   CAP_SYS_ADMIN; the annotation says the same to runtimes that read only annotations.\n");
            b.append("# AppArmor unconfined: the default profile denies writes to the bpf filesystem and tracefs.\n");
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
        if (run.pins()) {
            b.append("# The bpf filesystem is mounted with HostToContainer propagation: --pin-maps/--pin-progs pin on\n");
            b.append("#   the node, and a bpffs the node mounts later is seen in the pod.\n");
        }
        b.append("# Pod Security: hostPath volumes, added capabilities and unconfined seccomp fail the 'baseline'\n");
        b.append("#   level; the namespace must allow 'privileged'");
        b.append(ns == null ? " (kubectl label namespace NAMESPACE pod-security.kubernetes.io/enforce=privileged).\n"
                : ": the Namespace " + ns + " below carries that label.\n");
        if (run.output() == null) {
            b.append("# args --output none: no records in the pod log, only the start, errors and the summary\n");
            b.append("#   (metrics count every record); drop the args, or package with -- -o json, to log records.\n");
        }
        b.append("# Labels: bee's version and the eBPF image's digest (first 12 hex digits; the whole digest is the\n");
        b.append("#   image's dev.bee.ebpf.digest label).\n");
        if (run.podEnrichment()) {
            b.append("# Pod enrichment (--enrich pod): the ServiceAccount below may get, list and watch pods, nothing more\n");
            b.append("#   (ClusterRole and ClusterRoleBinding below); its token is mounted; bee watches only the pods of\n");
            b.append("#   NODE_NAME (downward API). hostPID and the node's /sys/fs/cgroup (read-only) map an event's pid or\n");
            b.append("#   cgroup id to its container.\n");
        } else {
            b.append("# NODE_NAME (downward API) labels bee's own metrics with the node; no service account token is mounted.\n");
        }
        if (run.metricsEnabled()) {
            b.append("# Prometheus scrapes /metrics on port ").append(run.metricsPort())
                    .append(" (prometheus.io/* annotations");
            b.append(spec.options().monitor() ? ", and the PodMonitor below" : "").append(");\n");
            b.append("#   the startup and readiness probes ask /-/ready (ready once every program is attached),\n");
            b.append("#   the liveness probe /-/healthy.\n");
        } else {
            b.append("# No metrics port (--prom-port 0), so no probes: Kubernetes restarts the container if bee exits.\n");
        }
        return b.toString();
    }

    static Map<String, Object> manifest(Spec spec) {
        PodSecurity s = spec.security();
        RunArguments run = spec.run();
        Options o = spec.options();
        Map<String, Object> selectorLabels = map(NAME_LABEL, spec.name());

        Map<String, Object> metadata = map("name", spec.name());
        if (o.namespace() != null) {
            metadata.put("namespace", o.namespace());
        }
        Map<String, Object> labels = map(NAME_LABEL, spec.name(), "app.kubernetes.io/managed-by", "bee",
                "app.kubernetes.io/version", labelValue(spec.beeVersion()));
        metadata.put("labels", labels);

        Map<String, Object> container = map("name", CONTAINER, "image", spec.image(), "imagePullPolicy", "IfNotPresent");
        if (run.output() == null) {
            container.put("args", List.of("--output", "none"));
        }
        container.put("env", List.of(map("name", "NODE_NAME",
                "valueFrom", map("fieldRef", map("fieldPath", "spec.nodeName")))));
        if (run.metricsEnabled()) {
            container.put("ports", List.of(map("name", "metrics", "containerPort", run.metricsPort(), "protocol", "TCP")));
            // Loading and attaching may take a while on a busy node: up to two minutes before liveness counts.
            // Probes name the port by number: tools that turn probes into health checks (podman kube play)
            // do not resolve port names.
            int port = run.metricsPort();
            container.put("startupProbe", map("httpGet", map("path", "/-/ready", "port", port),
                    "periodSeconds", 2, "timeoutSeconds", 2, "failureThreshold", 60));
            container.put("readinessProbe", map("httpGet", map("path", "/-/ready", "port", port),
                    "periodSeconds", 10, "timeoutSeconds", 2, "failureThreshold", 3));
            container.put("livenessProbe", map("httpGet", map("path", "/-/healthy", "port", port),
                    "periodSeconds", 20, "timeoutSeconds", 5, "failureThreshold", 3));
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
            securityContext.put("seccompProfile", map("type", "Unconfined"));
            securityContext.put("appArmorProfile", map("type", "Unconfined"));
        }
        securityContext.put("readOnlyRootFilesystem", true);
        container.put("securityContext", securityContext);

        List<Object> mounts = new ArrayList<>();
        List<Object> volumes = new ArrayList<>();
        hostPath(mounts, volumes, "tracefs", "/sys/kernel/tracing", false, false);
        hostPath(mounts, volumes, "debugfs", "/sys/kernel/debug", false, false);
        hostPath(mounts, volumes, "bpffs", "/sys/fs/bpf", false, run.pins());
        hostPath(mounts, volumes, "btf", "/sys/kernel/btf", true, false);
        if (s.needsCgroups()) {
            hostPath(mounts, volumes, "cgroup", "/sys/fs/cgroup", false, false);
        } else if (run.podEnrichment()) {
            hostPath(mounts, volumes, "cgroup", "/sys/fs/cgroup", true, false);
        }
        mounts.add(map("name", "tmp", "mountPath", "/tmp"));
        volumes.add(map("name", "tmp", "emptyDir", map()));
        container.put("volumeMounts", mounts);

        Map<String, Object> podSpec = new LinkedHashMap<>();
        podSpec.put("nodeSelector", map("kubernetes.io/os", "linux"));
        if (run.podEnrichment()) {
            podSpec.put("serviceAccountName", spec.name());
            podSpec.put("automountServiceAccountToken", true);
        } else {
            podSpec.put("automountServiceAccountToken", false);
        }
        if (o.priorityClassName() != null) {
            podSpec.put("priorityClassName", o.priorityClassName());
        }
        if (s.needsHostPid() || run.podEnrichment()) {
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

        Map<String, Object> templateLabels = new LinkedHashMap<>(selectorLabels);
        templateLabels.put("app.kubernetes.io/version", labelValue(spec.beeVersion()));
        templateLabels.put(DIGEST_KEY, shortDigest(spec.programDigest()));
        Map<String, Object> annotations = new LinkedHashMap<>();
        if (run.metricsEnabled()) {
            annotations.put("prometheus.io/scrape", "true");
            annotations.put("prometheus.io/port", Integer.toString(run.metricsPort()));
            annotations.put("prometheus.io/path", "/metrics");
        }
        if (!s.isPrivileged()) {
            // The fields above are the API's; runtimes and kubelets before them (and podman kube play) read these.
            annotations.put("container.seccomp.security.alpha.kubernetes.io/" + CONTAINER, "unconfined");
            annotations.put("container.apparmor.security.beta.kubernetes.io/" + CONTAINER, "unconfined");
        }
        Map<String, Object> templateMetadata = map("labels", templateLabels, "annotations", annotations);
        Map<String, Object> root = map("apiVersion", "apps/v1", "kind", "DaemonSet", "metadata", metadata);
        root.put("spec", map("selector", map("matchLabels", selectorLabels),
                "updateStrategy", map("type", "RollingUpdate",
                        "rollingUpdate", map("maxUnavailable", maxUnavailable(o.maxUnavailable()))),
                "template", map("metadata", templateMetadata, "spec", podSpec)));
        return root;
    }

    /**
     * For pod enrichment: the pods' ServiceAccount, a ClusterRole that may get, list and watch pods (nothing
     * else), and the binding. The binding names the account's namespace, so it needs {@code --k8s-namespace}.
     */
    static List<Map<String, Object>> podReaderRbac(Spec spec) {
        checkOptions(spec.run(), spec.options());
        String ns = spec.options().namespace();
        String role = spec.name() + "-pod-reader";
        return List.of(
                map("apiVersion", "v1", "kind", "ServiceAccount", "metadata", objectMetadata(spec)),
                map("apiVersion", "rbac.authorization.k8s.io/v1", "kind", "ClusterRole",
                        "metadata", map("name", role, "labels", map(NAME_LABEL, spec.name(), "app.kubernetes.io/managed-by", "bee")),
                        "rules", List.of(map("apiGroups", List.of(""), "resources", List.of("pods"),
                                "verbs", List.of("get", "list", "watch")))),
                map("apiVersion", "rbac.authorization.k8s.io/v1", "kind", "ClusterRoleBinding",
                        "metadata", map("name", role, "labels", map(NAME_LABEL, spec.name(), "app.kubernetes.io/managed-by", "bee")),
                        "roleRef", map("apiGroup", "rbac.authorization.k8s.io", "kind", "ClusterRole", "name", role),
                        "subjects", List.of(map("kind", "ServiceAccount", "name", spec.name(), "namespace", ns))));
    }

    /** The Namespace with the Pod Security level the pod needs. */
    static Map<String, Object> namespace(Spec spec) {
        return map("apiVersion", "v1", "kind", "Namespace", "metadata", map("name", spec.options().namespace(),
                "labels", map("pod-security.kubernetes.io/enforce", "privileged",
                        "pod-security.kubernetes.io/warn", "privileged")));
    }

    /** A headless Service over the pods' metrics port (what ServiceMonitors and port-forward use). */
    static Map<String, Object> service(Spec spec) {
        return map("apiVersion", "v1", "kind", "Service", "metadata", objectMetadata(spec),
                "spec", map("clusterIP", "None", "selector", map(NAME_LABEL, spec.name()),
                        "ports", List.of(map("name", "metrics", "port", spec.run().metricsPort(),
                                "targetPort", "metrics", "protocol", "TCP"))));
    }

    /** The Prometheus Operator's PodMonitor for the pods' metrics port. */
    static Map<String, Object> podMonitor(Spec spec) {
        return map("apiVersion", "monitoring.coreos.com/v1", "kind", "PodMonitor", "metadata", objectMetadata(spec),
                "spec", map("selector", map("matchLabels", map(NAME_LABEL, spec.name())),
                        "podMetricsEndpoints", List.of(map("port", "metrics", "path", "/metrics"))));
    }

    private static Map<String, Object> objectMetadata(Spec spec) {
        Map<String, Object> m = map("name", spec.name());
        if (spec.options().namespace() != null) {
            m.put("namespace", spec.options().namespace());
        }
        m.put("labels", map(NAME_LABEL, spec.name(), "app.kubernetes.io/managed-by", "bee"));
        return m;
    }

    /** A number of nodes as a number, a percentage as text (the API's int-or-string). */
    private static Object maxUnavailable(String value) {
        return value.endsWith("%") ? value : Integer.parseInt(value);
    }

    /** {@code text} as a label value: at most 63 of letters, digits, '-', '_', '.', alphanumeric at both ends. */
    static String labelValue(String text) {
        String v = text.replaceAll("[^A-Za-z0-9_.-]", "_");
        if (v.length() > 63) {
            v = v.substring(0, 63);
        }
        v = v.replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
        return LABEL_VALUE.matcher(v).matches() ? v : "unknown";
    }

    /** The first 12 hex digits of a sha256 digest: a label value cannot hold all 64. */
    private static String shortDigest(String digest) {
        String hex = digest.substring(digest.indexOf(':') + 1);
        return hex.substring(0, Math.min(12, hex.length()));
    }

    private static void hostPath(List<Object> mounts, List<Object> volumes, String name, String path, boolean readOnly,
                                 boolean propagate) {
        Map<String, Object> mount = map("name", name, "mountPath", path);
        if (readOnly) {
            mount.put("readOnly", true);
        }
        if (propagate) {
            mount.put("mountPropagation", "HostToContainer");
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
