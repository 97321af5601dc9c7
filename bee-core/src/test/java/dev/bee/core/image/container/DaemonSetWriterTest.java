package dev.bee.core.image.container;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaemonSetWriterTest {
    @TempDir
    Path tmp;

    private static DaemonSetWriter.Spec spec(RunArguments run, String... sections) {
        return new DaemonSetWriter.Spec("opensnoop", null, "localhost:5000/probes/opensnoop-pod:v1", run,
                PodSecurity.of(TestObjects.object(sections), run), DaemonSetWriter.Resources.DEFAULT);
    }

    /** Parsed by snakeyaml-engine, independently of the Jackson writer. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String yaml) {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml);
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
        assertEquals(Map.of("app.kubernetes.io/name", "opensnoop"), at(ds, "spec", "template", "metadata", "labels"));
        assertEquals(Map.of("prometheus.io/scrape", "true", "prometheus.io/port", "9091", "prometheus.io/path", "/metrics"),
                at(ds, "spec", "template", "metadata", "annotations"));

        Map<String, Object> pod = at(ds, "spec", "template", "spec");
        assertNull(pod.get("hostPID"));
        assertNull(pod.get("hostNetwork"));
        assertEquals(List.of(Map.of("operator", "Exists")), pod.get("tolerations"));
        Map<String, Object> c = at(pod, "containers", 0);
        assertEquals("localhost:5000/probes/opensnoop-pod:v1", c.get("image"));
        assertEquals(List.of(Map.of("name", "metrics", "containerPort", 9091, "protocol", "TCP")), c.get("ports"));
        assertEquals(Map.of("path", "/metrics", "port", "metrics"), at(c, "readinessProbe", "httpGet"));
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
        assertFalse(yaml.contains("privileged: true"));
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
        assertNull(at(ds, "spec", "template", "metadata", "annotations"));
        Map<String, Object> c = at(ds, "spec", "template", "spec", "containers", 0);
        assertNull(c.get("ports"));
        assertNull(c.get("readinessProbe"));
    }

    @Test
    void theNamespaceIsWrittenWhenGiven() {
        DaemonSetWriter.Spec s = new DaemonSetWriter.Spec("x", "monitoring", "x:v1", RunArguments.none(),
                PodSecurity.of(TestObjects.object("tp/a/b"), RunArguments.none()), DaemonSetWriter.Resources.DEFAULT);
        assertEquals("monitoring", at(parse(DaemonSetWriter.yaml(s)), "metadata", "namespace"));
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
