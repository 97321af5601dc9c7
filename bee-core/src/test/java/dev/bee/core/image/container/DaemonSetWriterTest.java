package dev.bee.core.image.container;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.testing.KubernetesSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaemonSetWriterTest {
    @TempDir
    Path tmp;

    private static final String DIGEST = "sha256:" + "0123456789ab".repeat(5) + "cdef";

    private static DaemonSetWriter.Spec spec(RunArguments run, String... sections) {
        return spec(DaemonSetWriter.Options.defaults(), run, sections);
    }

    private static DaemonSetWriter.Spec spec(DaemonSetWriter.Options options, RunArguments run, String... sections) {
        return new DaemonSetWriter.Spec("opensnoop", "localhost:5000/probes/opensnoop-pod:v1", run,
                PodSecurity.of(TestObjects.object(sections), run), DaemonSetWriter.Resources.DEFAULT, options,
                "0.1.0-SNAPSHOT", DIGEST);
    }

    /** Parsed by snakeyaml-engine, independently of the Jackson writer. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String yaml) {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> parseAll(String yaml) {
        List<Map<String, Object>> docs = new java.util.ArrayList<>();
        for (Object d : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
            docs.add((Map<String, Object>) d);
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Object node, Object... path) {
        Object cur = node;
        for (Object p : path) {
            cur = p instanceof Integer i ? ((List<Object>) cur).get(i) : ((Map<String, Object>) cur).get(p);
        }
        return (T) cur;
    }

    @Test
    void aTracingProgramRunsUnprivilegedWithMetricsProbeAndScrapeAnnotations() throws Exception {
        Path file = tmp.resolve("ds.yaml");
        DaemonSetWriter.write(file, spec(RunArguments.none(), "tracepoint/syscalls/sys_enter_openat"));
        String yaml = Files.readString(file);
        KubernetesSchema.validateDaemonSet(yaml);
        Map<String, Object> ds = parse(yaml);

        assertEquals("apps/v1", ds.get("apiVersion"));
        assertEquals("DaemonSet", ds.get("kind"));
        assertEquals("opensnoop", at(ds, "metadata", "name"));
        assertNull(at(ds, "metadata", "namespace"));
        assertEquals(Map.of("app.kubernetes.io/name", "opensnoop"), at(ds, "spec", "selector", "matchLabels"));
        assertEquals(Map.of("app.kubernetes.io/name", "opensnoop", "app.kubernetes.io/version", "0.1.0-SNAPSHOT",
                "bee.dev/program-digest", "0123456789ab"), at(ds, "spec", "template", "metadata", "labels"));
        assertEquals("0.1.0-SNAPSHOT", at(ds, "metadata", "labels", "app.kubernetes.io/version"));
        assertEquals(Map.of("prometheus.io/scrape", "true", "prometheus.io/port", "9091", "prometheus.io/path", "/metrics",
                        "container.seccomp.security.alpha.kubernetes.io/bee", "unconfined",
                        "container.apparmor.security.beta.kubernetes.io/bee", "unconfined"),
                at(ds, "spec", "template", "metadata", "annotations"));
        assertEquals(Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("maxUnavailable", 1)),
                at(ds, "spec", "updateStrategy"));

        Map<String, Object> pod = at(ds, "spec", "template", "spec");
        assertNull(pod.get("hostPID"));
        assertNull(pod.get("hostNetwork"));
        assertEquals(List.of(Map.of("operator", "Exists")), pod.get("tolerations"));
        assertEquals(Map.of("kubernetes.io/os", "linux"), pod.get("nodeSelector"));
        assertEquals(false, pod.get("automountServiceAccountToken"));
        assertNull(pod.get("priorityClassName"));
        Map<String, Object> c = at(pod, "containers", 0);
        assertEquals("localhost:5000/probes/opensnoop-pod:v1", c.get("image"));
        assertEquals(List.of("--output", "none"), c.get("args"), "no records in the pod log by default");
        assertEquals(List.of(Map.of("name", "NODE_NAME", "valueFrom", Map.of("fieldRef", Map.of("fieldPath", "spec.nodeName")))),
                c.get("env"));
        assertEquals(List.of(Map.of("name", "metrics", "containerPort", 9091, "protocol", "TCP")), c.get("ports"));
        assertEquals(Map.of("path", "/-/ready", "port", 9091), at(c, "startupProbe", "httpGet"));
        assertEquals(Map.of("path", "/-/ready", "port", 9091), at(c, "readinessProbe", "httpGet"));
        assertEquals(Map.of("path", "/-/healthy", "port", 9091), at(c, "livenessProbe", "httpGet"));
        assertEquals(Map.of("type", "Unconfined"), at(c, "securityContext", "seccompProfile"));
        assertEquals(Map.of("type", "Unconfined"), at(c, "securityContext", "appArmorProfile"));
        assertEquals(Map.of("cpu", "100m", "memory", "256Mi"), at(c, "resources", "requests"));
        assertEquals(Map.of("cpu", "1", "memory", "512Mi"), at(c, "resources", "limits"));
        assertEquals(false, at(c, "securityContext", "privileged"));
        assertEquals(false, at(c, "securityContext", "allowPrivilegeEscalation"));
        assertEquals(true, at(c, "securityContext", "readOnlyRootFilesystem"));
        assertEquals(0, (int) at(c, "securityContext", "runAsUser"));
        assertEquals(List.of("ALL"), at(c, "securityContext", "capabilities", "drop"));
        assertEquals(List.of("BPF", "PERFMON", "SYS_RESOURCE"), at(c, "securityContext", "capabilities", "add"));

        Map<String, String> mounts = new java.util.TreeMap<>();
        List<Map<String, Object>> volumeMounts = at(c, "volumeMounts");
        for (Map<String, Object> m : volumeMounts) {
            mounts.put((String) m.get("name"), (String) m.get("mountPath"));
        }
        assertEquals(Map.of("tracefs", "/sys/kernel/tracing", "debugfs", "/sys/kernel/debug", "bpffs", "/sys/fs/bpf",
                "btf", "/sys/kernel/btf", "tmp", "/tmp"), mounts);
        List<Map<String, Object>> volumes = at(pod, "volumes");
        for (Map<String, Object> v : volumes) {
            if (v.get("name").equals("tmp")) {
                assertEquals(Map.of(), v.get("emptyDir"));
            } else {
                assertEquals(mounts.get(v.get("name")), at(v, "hostPath", "path"));
                assertEquals("Directory", at(v, "hostPath", "type"));
            }
        }
        assertTrue(yaml.startsWith("# DaemonSet written by bee package"), yaml);
        assertTrue(yaml.contains("#   PERFMON: attach tracing programs"), yaml);
        assertTrue(yaml.contains("# seccompProfile Unconfined: the runtime's default profile"), yaml);
        assertTrue(yaml.contains("fail the 'baseline'"), yaml);
        assertTrue(yaml.contains("pod-security.kubernetes.io/enforce=privileged"), yaml);
        assertTrue(yaml.contains("# args --output none"), yaml);
        assertFalse(yaml.contains("privileged: true"));
        assertFalse(yaml.contains("mountPropagation"), "nothing is pinned");
        assertEquals(List.of("DaemonSet"), KubernetesSchema.validateManifest(yaml));
    }

    @Test
    void networkAndProbeProgramsGetHostNamespacesAndNetAdmin() {
        String yaml = DaemonSetWriter.yaml(spec(RunArguments.parse(List.of("--iface", "eth0", "--prom-port", "9100")),
                "xdp", "uprobe/libc.so.6:getpid", "cgroup_skb/ingress"));
        KubernetesSchema.validateDaemonSet(yaml);
        Map<String, Object> pod = at(parse(yaml), "spec", "template", "spec");
        assertEquals(true, pod.get("hostPID"));
        assertEquals(true, pod.get("hostNetwork"));
        assertEquals("ClusterFirstWithHostNet", pod.get("dnsPolicy"));
        assertEquals(List.of("BPF", "NET_ADMIN", "PERFMON", "SYS_RESOURCE"),
                at(pod, "containers", 0, "securityContext", "capabilities", "add"));
        assertEquals(9100, (int) at(pod, "containers", 0, "ports", 0, "containerPort"));
        assertEquals("9100", at(parse(yaml), "spec", "template", "metadata", "annotations", "prometheus.io/port"));
        assertTrue(yaml.contains("# hostPID: uprobes attach to the node's processes"), yaml);
        assertTrue(yaml.contains("# hostNetwork: network programs attach to the node's interfaces"), yaml);
        assertTrue(yaml.contains("# /sys/fs/cgroup: cgroup programs attach"), yaml);
        List<Map<String, Object>> volumes = at(pod, "volumes");
        assertTrue(volumes.stream().anyMatch(v -> "/sys/fs/cgroup".equals(at(v, "hostPath", "path"))));
    }

    @Test
    void privilegedComesWithTheReasonRightAboveIt() {
        String yaml = DaemonSetWriter.yaml(spec(RunArguments.none(), "struct_ops/tcp_cong"));
        KubernetesSchema.validateDaemonSet(yaml);
        Map<String, Object> sc = at(parse(yaml), "spec", "template", "spec", "containers", 0, "securityContext");
        assertEquals(true, sc.get("privileged"));
        assertNull(sc.get("capabilities"));
        assertNull(sc.get("seccompProfile"), "privileged is unconfined already");
        assertNull(sc.get("allowPrivilegeEscalation"));
        List<String> lines = yaml.lines().toList();
        int at = lines.indexOf(lines.stream().filter(l -> l.trim().equals("privileged: true")).findFirst().orElseThrow());
        assertTrue(lines.get(at - 1).trim().startsWith("# privileged: bee does not know which capabilities"),
                lines.get(at - 1));
        assertEquals(lines.get(at).indexOf('p'), lines.get(at - 1).indexOf('#'), "the comment is indented as the line");
    }

    @Test
    void metricsOffMeansNoPortProbeOrScrapeAnnotations() {
        String yaml = DaemonSetWriter.yaml(spec(RunArguments.parse(List.of("--prom-port", "0")), "tp/a/b"));
        KubernetesSchema.validateDaemonSet(yaml);
        Map<String, Object> ds = parse(yaml);
        Map<String, Object> annotations = at(ds, "spec", "template", "metadata", "annotations");
        assertFalse(annotations.keySet().stream().anyMatch(k -> k.startsWith("prometheus.io/")), annotations.toString());
        Map<String, Object> c = at(ds, "spec", "template", "spec", "containers", 0);
        assertNull(c.get("ports"));
        assertNull(c.get("readinessProbe"));
        assertNull(c.get("startupProbe"));
        assertNull(c.get("livenessProbe"));
        assertTrue(yaml.contains("no probes"), yaml);
    }

    @Test
    void theNamespaceComesWithThePodSecurityLevelThePodNeeds() {
        DaemonSetWriter.Options o = new DaemonSetWriter.Options(null, "monitoring", "1", null, false);
        String yaml = DaemonSetWriter.yaml(spec(o, RunArguments.none(), "tp/a/b"));
        assertEquals(List.of("Namespace", "DaemonSet"), KubernetesSchema.validateManifest(yaml));
        List<Map<String, Object>> docs = parseAll(yaml);
        assertEquals("monitoring", at(docs.get(0), "metadata", "name"));
        assertEquals("privileged", at(docs.get(0), "metadata", "labels", "pod-security.kubernetes.io/enforce"));
        assertEquals("monitoring", at(docs.get(1), "metadata", "namespace"));
        assertTrue(yaml.contains("the Namespace monitoring below carries that label"), yaml);
    }

    @Test
    void rolloutPriorityAndMonitoringAreThePackagersChoice() {
        DaemonSetWriter.Options o = new DaemonSetWriter.Options("snoop", "obs", "10%", "system-node-critical", true);
        String yaml = DaemonSetWriter.yaml(spec(o, RunArguments.parse(List.of("--prom-port", "9100")), "tp/a/b"));
        assertEquals(List.of("Namespace", "DaemonSet", "Service", "PodMonitor"), KubernetesSchema.validateManifest(yaml));
        List<Map<String, Object>> docs = parseAll(yaml);
        Map<String, Object> ds = docs.get(1);
        assertEquals("10%", at(ds, "spec", "updateStrategy", "rollingUpdate", "maxUnavailable"));
        assertEquals("system-node-critical", at(ds, "spec", "template", "spec", "priorityClassName"));
        Map<String, Object> svc = docs.get(2);
        assertEquals("None", at(svc, "spec", "clusterIP"));
        assertEquals(Map.of("app.kubernetes.io/name", "opensnoop"), at(svc, "spec", "selector"));
        assertEquals(9100, (int) at(svc, "spec", "ports", 0, "port"));
        Map<String, Object> pm = docs.get(3);
        assertEquals("obs", at(pm, "metadata", "namespace"));
        assertEquals(Map.of("app.kubernetes.io/name", "opensnoop"), at(pm, "spec", "selector", "matchLabels"));
        assertEquals("metrics", at(pm, "spec", "podMetricsEndpoints", 0, "port"));
        assertEquals("metrics", at(ds, "spec", "template", "spec", "containers", 0, "ports", 0, "name"));
    }

    @Test
    void badChoicesAreUsageErrors() {
        for (String bad : List.of("0", "-1", "150%", "x", "1.5")) {
            BeeException e = assertThrows(BeeException.class,
                    () -> new DaemonSetWriter.Options(null, null, bad, null, false), bad);
            assertEquals(ErrorKind.USAGE, e.kind());
        }
        assertThrows(BeeException.class, () -> new DaemonSetWriter.Options(null, null, "1", "Not_A_Name", false));
        assertThrows(BeeException.class, () -> new DaemonSetWriter.Options(null, "Bad NS", "1", null, false));
    }

    @Test
    void aChosenOutputIsKeptAndPinsPropagateFromTheHost() {
        String yaml = DaemonSetWriter.yaml(spec(RunArguments.parse(List.of("-o", "json", "--pin-maps", "/sys/fs/bpf/x")),
                "tp/a/b"));
        KubernetesSchema.validateDaemonSet(yaml);
        Map<String, Object> c = at(parse(yaml), "spec", "template", "spec", "containers", 0);
        assertNull(c.get("args"), "-o json was baked into the entrypoint");
        List<Map<String, Object>> mounts = at(c, "volumeMounts");
        Map<String, Object> bpffs = mounts.stream().filter(m -> m.get("name").equals("bpffs")).findFirst().orElseThrow();
        assertEquals("HostToContainer", bpffs.get("mountPropagation"));
        assertFalse(yaml.contains("# args --output none"), yaml);
    }

    @Test
    void labelValuesAreKubernetesLabelValues() {
        assertEquals("0.1.0-SNAPSHOT", DaemonSetWriter.labelValue("0.1.0-SNAPSHOT"));
        assertEquals("v1_2_dirty", DaemonSetWriter.labelValue("v1+2 dirty"));
        assertEquals(63, DaemonSetWriter.labelValue("a".repeat(80)).length());
        assertEquals("unknown", DaemonSetWriter.labelValue("+++"));
    }

    @Test
    void namesAreDnsLabels() {
        assertEquals("opensnoop-pod", DaemonSetWriter.nameFor("probes/opensnoop-pod"));
        assertEquals("my-probe", DaemonSetWriter.nameFor("team/My_Probe"));
        assertEquals("a".repeat(63), DaemonSetWriter.nameFor("x/" + "a".repeat(80)));
        assertEquals("bee", DaemonSetWriter.nameFor("x/__"));
    }

    @Test
    void theSchemaCheckCatchesAWrongField() {
        String yaml = DaemonSetWriter.yaml(spec(RunArguments.none(), "tp/a/b")).replace("hostPath:", "hostPaht:");
        try {
            KubernetesSchema.validateDaemonSet(yaml);
        } catch (AssertionError e) {
            assertTrue(e.getMessage().contains("hostPaht"), e.getMessage());
            return;
        }
        throw new AssertionError("a misspelt field passed the schema check");
    }
}
