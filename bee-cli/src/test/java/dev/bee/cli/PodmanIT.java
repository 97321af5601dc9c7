package dev.bee.cli;

import dev.bee.core.testing.Examples;
import dev.bee.core.testing.Exposition;
import dev.bee.core.testing.RegistryServer;
import dev.bee.core.testing.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged image the way it ships, under a real container runtime: bee packages opensnoop with a
 * DaemonSet, podman loads the archive and runs it with exactly the container settings the DaemonSet
 * declares (translated field by field, its seccomp and AppArmor choice included) under podman's default
 * seccomp profile; the host scrapes its metrics, sees this JVM's opens counted and no records in the log
 * (--output none), and `podman stop` leaves no program loaded. Without the DaemonSet's seccomp choice the
 * runtime's default profile refuses bpf(2) and bee says that it is seccomp. The pod template, as a Pod,
 * runs under `podman kube play`.
 *
 * <p>This VM's two host quirks (../shared/reference/this-machine.md) are applied here: a v1 hugetlb
 * hierarchy (scripts/setup-machine.sh mounts it), and rlimits podman's defaults cannot raise without
 * CAP_SYS_RESOURCE (a containers.conf for podman run, a runtime wrapper clamping the bundle's rlimits for
 * kube play's infra container).
 */
class PodmanIT {
    private static final String IMAGE = "localhost/bee-podman-it:v1";
    private static final String NODE = "node-podman-it";
    private static final Set<String> PROGRAMS = Set.of("handle_enter", "handle_exit");
    private static final String RECORDS = "bee_map_records_total";
    private static RegistryServer registry;
    private static Path work;
    private static Path manifest;
    private static int port;
    private static Map<String, String> podmanEnv;
    private static Path runtime;

    @TempDir
    Path tmp;

    @BeforeAll
    static void packageAndLoad() throws Exception {
        BaseImage.requirements("podman", "jq", "bpftool");
        work = Files.createTempDirectory("bee-podman-it-");
        hostQuirks();
        registry = RegistryServer.start();
        String base = BaseImage.pushTo(registry, work);
        Path store = work.resolve("store");
        String program = registry.host() + "/probes/opensnoop:podman";
        CliRun build = CliRun.of("build", Examples.source("opensnoop").toString(), program,
                "-o", work.resolve("opensnoop.o").toString(), "--storage", store.toString());
        assertEquals(0, build.exitCode(), build.err());
        port = RegistryServer.freePort();
        Path tar = work.resolve("pod.tar");
        manifest = work.resolve("opensnoop.yaml");
        BeeProcess packed = BeeProcess.start(Map.of("BEE_HOME", work.resolve("home").toString()), "package", program,
                IMAGE.substring("localhost/".length()), "--base", base, "--plain-http", "--storage", store.toString(),
                "--to-tar", tar.toString(), "--k8s", manifest.toString(), "--",
                "--set", "target_pid=" + ProcessHandle.current().pid(), "--prom-port", Integer.toString(port));
        packed.waitFor(Duration.ofSeconds(120));
        assertEquals(0, packed.exitCode(), packed.err());
        podman("load", "-i", tar.toString());
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (podmanEnv != null) {
            run(List.of("podman", "rmi", "-f", IMAGE), Duration.ofSeconds(60));
        }
        if (registry != null) {
            registry.close();
        }
        TestFiles.deleteTree(work);
    }

    @Test
    void theDaemonSetsContainerRunsUnderPodmansDefaultSeccompProfile() throws Exception {
        Map<String, Object> ds = PackageIT.DaemonSetWriterReading.parse(Files.readString(manifest));
        String name = "bee-it-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> cmd = new ArrayList<>(List.of("podman", "run", "-d", "--name", name));
        cmd.addAll(runFlags(ds, true));
        Set<Integer> before = programIds();
        podman(cmd.toArray(String[]::new));
        try {
            awaitReady(name);
            Set<Integer> loaded = new HashSet<>(programIds());
            loaded.removeAll(before);
            assertEquals(2, loaded.size(), "opensnoop's two programs were loaded by the container");

            String file = "bee-podman-" + UUID.randomUUID().toString().substring(0, 8);
            Path opened = tmp.resolve(file);
            Files.writeString(opened, "x");
            Exposition scraped = awaitRecords(name);
            double records = scraped.value(RECORDS, "map", "print_opens").orElseThrow();
            assertTrue(records >= 1, "this JVM's opens reach bee in the container: " + records);
            assertEquals(1, scraped.find("bee_build_info", "node", NODE).size(),
                    "bee's own metrics carry the node from the downward API's NODE_NAME: " + scraped.body());

            podman("stop", "-t", "20", name);
            String logs = podman("logs", name);
            assertTrue(logs.contains("bee: running "), logs);
            assertFalse(logs.contains(file), "--output none prints no records: " + logs);
            assertTrue(logs.contains("bee: stopped (SIGTERM)"), logs);
            assertEquals("0", podman("inspect", name, "--format", "{{.State.ExitCode}}").trim(), logs);
            Set<Integer> left = programIds();
            left.retainAll(loaded);
            assertEquals(Set.of(), left, "podman stop left nothing loaded");
        } finally {
            run(List.of("podman", "rm", "-f", name), Duration.ofSeconds(60));
        }
    }

    @Test
    void withoutTheSeccompChoiceTheDefaultProfileRefusesAndBeeSaysItIsSeccomp() throws Exception {
        Map<String, Object> ds = PackageIT.DaemonSetWriterReading.parse(Files.readString(manifest));
        List<String> cmd = new ArrayList<>(List.of("podman", "run", "--rm"));
        cmd.addAll(runFlags(ds, false));
        Result r = run(cmd, Duration.ofSeconds(90));
        assertEquals(8, r.exit(), r.out());
        assertTrue(r.out().contains("a seccomp filter (Seccomp: 2 in /proc/self/status) refuses bpf(2)"), r.out());
        assertTrue(r.out().contains("hint: run with a seccomp profile that allows bpf and perf_event_open"), r.out());
    }

    @Test
    void thePodTemplatePlaysUnderPodmanKubePlay() throws Exception {
        Map<String, Object> ds = PackageIT.DaemonSetWriterReading.parse(Files.readString(manifest));
        Path pod = tmp.resolve("pod.yaml");
        Files.writeString(pod, podOf(ds));
        Set<Integer> before = programIds();
        List<String> play = List.of("podman", "--runtime", runtime.toString(), "kube", "play", pod.toString());
        Result started = run(play, Duration.ofSeconds(120));
        assertEquals(0, started.exit(), started.out());
        String container = PackageIT.DaemonSetWriterReading.<String>at(ds, "metadata", "name") + "-bee";
        try {
            awaitReady(container);
            assertTrue(awaitRecords(container).value(RECORDS, "map", "print_opens").orElseThrow() >= 1);
            Set<Integer> loaded = new HashSet<>(programIds());
            loaded.removeAll(before);
            assertEquals(2, loaded.size());
            Result down = run(List.of("podman", "kube", "down", pod.toString()), Duration.ofSeconds(60));
            assertEquals(0, down.exit(), down.out());
            Set<Integer> left = programIds();
            left.retainAll(loaded);
            assertEquals(Set.of(), left, "kube down left nothing loaded");
        } finally {
            run(List.of("podman", "kube", "down", pod.toString()), Duration.ofSeconds(60));
        }
    }

    /**
     * podman run flags for the DaemonSet's one container, field by field; a field this translation does
     * not know fails the test, so the translation cannot silently fall behind the manifest.
     */
    private static List<String> runFlags(Map<String, Object> ds, boolean withSeccompChoice) {
        Map<String, Object> pod = PackageIT.DaemonSetWriterReading.at(ds, "spec", "template", "spec");
        List<Map<String, Object>> containers = PackageIT.DaemonSetWriterReading.at(pod, "containers");
        assertEquals(1, containers.size());
        Map<String, Object> c = containers.get(0);
        List<String> flags = new ArrayList<>();
        known(pod, "nodeSelector", "automountServiceAccountToken", "tolerations", "terminationGracePeriodSeconds",
                "containers", "volumes", "hostPID", "hostNetwork", "dnsPolicy", "priorityClassName");
        if (Boolean.TRUE.equals(pod.get("hostPID"))) {
            flags.add("--pid=host");
        }
        if (Boolean.TRUE.equals(pod.get("hostNetwork"))) {
            flags.add("--network=host");
        }
        known(c, "name", "image", "imagePullPolicy", "args", "env", "ports", "startupProbe", "readinessProbe",
                "livenessProbe", "resources", "securityContext", "volumeMounts");
        Map<String, Object> sc = PackageIT.DaemonSetWriterReading.at(c, "securityContext");
        known(sc, "runAsUser", "privileged", "allowPrivilegeEscalation", "capabilities", "seccompProfile",
                "appArmorProfile", "readOnlyRootFilesystem");
        flags.add("--user=" + sc.get("runAsUser"));
        if (Boolean.TRUE.equals(sc.get("privileged"))) {
            flags.add("--privileged");
        }
        if (Boolean.FALSE.equals(sc.get("allowPrivilegeEscalation"))) {
            flags.add("--security-opt=no-new-privileges");
        }
        List<String> drop = PackageIT.DaemonSetWriterReading.at(sc, "capabilities", "drop");
        List<String> add = PackageIT.DaemonSetWriterReading.at(sc, "capabilities", "add");
        drop.forEach(d -> flags.add("--cap-drop=" + d));
        add.forEach(a -> flags.add("--cap-add=" + a));
        if (withSeccompChoice && "Unconfined".equals(PackageIT.DaemonSetWriterReading.at(sc, "seccompProfile", "type"))) {
            flags.add("--security-opt=seccomp=unconfined");
        }
        if ("Unconfined".equals(PackageIT.DaemonSetWriterReading.at(sc, "appArmorProfile", "type"))) {
            flags.add("--security-opt=apparmor=unconfined");
        }
        if (Boolean.TRUE.equals(sc.get("readOnlyRootFilesystem"))) {
            flags.add("--read-only");
        }
        Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
        List<Map<String, Object>> vs = PackageIT.DaemonSetWriterReading.at(pod, "volumes");
        vs.forEach(v -> volumes.put((String) v.get("name"), v));
        List<Map<String, Object>> mounts = PackageIT.DaemonSetWriterReading.at(c, "volumeMounts");
        for (Map<String, Object> m : mounts) {
            Map<String, Object> v = volumes.get((String) m.get("name"));
            String at = (String) m.get("mountPath");
            if (v.get("hostPath") != null) {
                String opts = Boolean.TRUE.equals(m.get("readOnly")) ? ":ro" : "";
                if ("HostToContainer".equals(m.get("mountPropagation"))) {
                    opts += opts.isEmpty() ? ":rslave" : ",rslave";
                }
                flags.add("--volume=" + PackageIT.DaemonSetWriterReading.at(v, "hostPath", "path") + ":" + at + opts);
            } else if (v.get("emptyDir") != null) {
                flags.add("--tmpfs=" + at);
            } else {
                throw new AssertionError("no translation for volume " + v);
            }
        }
        List<Map<String, Object>> env = PackageIT.DaemonSetWriterReading.at(c, "env");
        for (Map<String, Object> e : env) {
            // The downward API's spec.nodeName, as the kubelet would fill it in.
            String value = e.get("value") != null ? (String) e.get("value")
                    : "spec.nodeName".equals(PackageIT.DaemonSetWriterReading.at(e, "valueFrom", "fieldRef", "fieldPath"))
                    ? NODE : null;
            assertTrue(value != null, "no translation for env " + e);
            flags.add("--env=" + e.get("name") + "=" + value);
        }
        List<Map<String, Object>> ports = PackageIT.DaemonSetWriterReading.at(c, "ports");
        for (Map<String, Object> p : ports) {
            flags.add("--publish=127.0.0.1:" + p.get("containerPort") + ":" + p.get("containerPort"));
        }
        flags.add(IMAGE);
        List<String> args = PackageIT.DaemonSetWriterReading.at(c, "args");
        if (args != null) {
            flags.addAll(args);
        }
        return flags;
    }

    private static void known(Map<String, Object> node, String... keys) {
        Set<String> unknown = new HashSet<>(node.keySet());
        unknown.removeAll(List.of(keys));
        assertEquals(Set.of(), unknown, "fields the podman translation does not know");
    }

    /**
     * The DaemonSet's pod template as a Pod, which is what kube play runs (it has no DaemonSet kind). The
     * downward API's node name is filled in as the kubelet would: podman 4.3 refuses that fieldPath.
     */
    private static String podOf(Map<String, Object> ds) {
        Map<String, Object> template = PackageIT.DaemonSetWriterReading.at(ds, "spec", "template");
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = new LinkedHashMap<>((Map<String, Object>) template.get("metadata"));
        metadata.put("name", PackageIT.DaemonSetWriterReading.at(ds, "metadata", "name"));
        Map<String, Object> spec = PackageIT.DaemonSetWriterReading.at(template, "spec");
        List<Map<String, Object>> containers = PackageIT.DaemonSetWriterReading.at(spec, "containers");
        for (Map<String, Object> c : containers) {
            c.put("env", List.of(Map.of("name", "NODE_NAME", "value", NODE)));
            c.put("image", IMAGE);
        }
        Map<String, Object> pod = new LinkedHashMap<>();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        pod.put("metadata", metadata);
        pod.put("spec", spec);
        return new Dump(DumpSettings.builder().build()).dumpToString(pod);
    }

    /** Waits for /-/ready to answer 200 from the host, failing early with the logs if the container ends. */
    private static void awaitReady(String container) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            String state = run(List.of("podman", "inspect", container, "--format", "{{.State.Status}}"),
                    Duration.ofSeconds(30)).out().trim();
            if (state.equals("exited") || state.equals("stopped")) {
                throw new AssertionError("the container ended: " + run(List.of("podman", "logs", container),
                        Duration.ofSeconds(30)).out());
            }
            Thread.sleep(300);
        }
        throw new AssertionError("not ready within 90 s: " + run(List.of("podman", "logs", container),
                Duration.ofSeconds(30)).out());
    }

    /** The metrics once opensnoop's ring buffer has a record (this JVM opens a file meanwhile). */
    private static Exposition awaitRecords(String container) throws Exception {
        Exposition last = null;
        for (int i = 0; i < 100; i++) {
            last = Exposition.scrape("http://127.0.0.1:" + port + "/metrics", null);
            if (last.value(RECORDS, "map", "print_opens").orElse(0) >= 1) {
                return last;
            }
            Files.readAllBytes(Path.of("/proc/self/status")); // an open of this JVM's, counted by opensnoop
            Thread.sleep(200);
        }
        throw new AssertionError(RECORDS + " of print_opens never reached 1: " + last.body() + "\n"
                + run(List.of("podman", "logs", container), Duration.ofSeconds(30)).out());
    }

    /** Ids of the loaded programs named as opensnoop's, by bpftool. */
    private static Set<Integer> programIds() {
        Result r = run(List.of("bpftool", "prog", "show"), Duration.ofSeconds(30));
        Set<Integer> ids = new HashSet<>();
        Matcher m = Pattern.compile("(?m)^(\\d+): \\S+\\s+name (\\S+)").matcher(r.out());
        while (m.find()) {
            if (PROGRAMS.contains(m.group(2))) {
                ids.add(Integer.parseInt(m.group(1)));
            }
        }
        return ids;
    }

    /** The VM's quirks: the hugetlb hierarchy, and rlimits within root's hard limits. */
    private static void hostQuirks() throws IOException {
        if (Files.isDirectory(Path.of("/sys/fs/cgroup/unified"))
                && run(List.of("mountpoint", "-q", "/sys/fs/cgroup/hugetlb"), Duration.ofSeconds(10)).exit() != 0) {
            Files.createDirectories(Path.of("/sys/fs/cgroup/hugetlb"));
            Result m = run(List.of("mount", "-t", "cgroup", "-o", "hugetlb", "cgroup", "/sys/fs/cgroup/hugetlb"),
                    Duration.ofSeconds(10));
            assertEquals(0, m.exit(), m.out());
        }
        Path conf = work.resolve("containers.conf");
        Files.writeString(conf, "[containers]\ndefault_ulimits = [\"nofile=10000:10000\", \"nproc=32768:32768\"]\n");
        podmanEnv = Map.of("CONTAINERS_CONF", conf.toString());
        runtime = work.resolve("crun-clamp");
        Files.writeString(runtime, """
                #!/bin/sh
                # crun with the bundle's rlimits clamped to this shell's hard limits (no CAP_SYS_RESOURCE here).
                bundle=""; prev=""
                for a in "$@"; do
                  if [ "$prev" = "--bundle" ] || [ "$prev" = "-b" ]; then bundle="$a"; fi
                  case "$a" in --bundle=*) bundle="${a#--bundle=}";; esac
                  prev="$a"
                done
                n=$(ulimit -Hn); p=$(ulimit -Hu)
                [ "$n" = unlimited ] && n=1048576
                [ "$p" = unlimited ] && p=4194304
                if [ -n "$bundle" ] && [ -f "$bundle/config.json" ]; then
                  jq --argjson n "$n" --argjson p "$p" '(.process.rlimits // []) |= map(
                      if .type == "RLIMIT_NOFILE" then .hard = ([.hard, $n] | min) | .soft = ([.soft, $n] | min)
                      elif .type == "RLIMIT_NPROC" then .hard = ([.hard, $p] | min) | .soft = ([.soft, $p] | min)
                      else . end)' "$bundle/config.json" > "$bundle/config.json.clamped" \\
                    && mv "$bundle/config.json.clamped" "$bundle/config.json"
                fi
                exec /usr/bin/crun "$@"
                """);
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Result(int exit, String out) {
    }

    private static String podman(String... args) {
        List<String> cmd = new ArrayList<>(List.of(args));
        if (!cmd.get(0).equals("podman")) {
            cmd.add(0, "podman");
        }
        Result r = run(cmd, Duration.ofSeconds(120));
        assertEquals(0, r.exit(), String.join(" ", cmd) + ": " + r.out());
        return r.out();
    }

    private static Result run(List<String> command, Duration timeout) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            if (podmanEnv != null) {
                pb.environment().putAll(podmanEnv);
            }
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + ": no end within " + timeout);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
