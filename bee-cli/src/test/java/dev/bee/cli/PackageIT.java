package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.image.Digests;
import dev.bee.core.io.Json;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.KubernetesSchema;
import dev.bee.core.testing.RegistryServer;
import dev.bee.core.testing.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bee package end to end: a base image made from this machine's own Java runtime and libbpf
 * (scripts/base-image.sh --host, copied into a real registry by skopeo, once per class), opensnoop
 * built by bee and packaged onto it by bee.jar; then the packaged image, pulled back by skopeo, is
 * unpacked and its entrypoint run under chroot with a read-only root and only the capabilities its
 * DaemonSet grants, and it shows the open this test makes and serves /metrics. Also: what skopeo sees,
 * one digest for one input, a docker load archive checked blob by blob, the DaemonSet, and errors.
 */
class PackageIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static RegistryServer registry;
    private static Path work;
    private static Path store;
    private static String base;
    private static String program;

    @TempDir
    Path tmp;

    @BeforeAll
    static void baseImageAndProgram() throws Exception {
        BaseImage.requirements("unshare", "setpriv", "chroot", "tar");
        registry = RegistryServer.start();
        work = Files.createTempDirectory("bee-package-it-");
        // The base image: this JVM's runtime and the machine's libbpf, as scripts/base-image.sh makes it.
        base = BaseImage.pushTo(registry, work);
        store = work.resolve("store");
        program = registry.host() + "/probes/opensnoop:v1";
        CliRun build = CliRun.of("build", Examples.source("opensnoop").toString(), program,
                "-o", work.resolve("opensnoop.o").toString(), "--storage", store.toString());
        assertEquals(0, build.exitCode(), build.err());
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (registry != null) {
            registry.close();
        }
        TestFiles.deleteTree(work);
    }

    /** bee.jar as a separate process, its Jib cache in this class's folder. */
    private static BeeProcess bee(String... args) {
        BeeProcess p = BeeProcess.start(Map.of("BEE_HOME", work.resolve("home").toString()), args);
        p.waitFor(TIMEOUT);
        return p;
    }

    private static BeeProcess pack(Path storage, String image, String... more) {
        List<String> args = new ArrayList<>(List.of("package", program, image, "--base", base, "--plain-http",
                "--storage", storage.toString()));
        args.addAll(List.of(more));
        BeeProcess p = bee(args.toArray(String[]::new));
        assertEquals(0, p.exitCode(), p.err());
        return p;
    }

    private static JsonNode skopeo(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("skopeo"));
        cmd.addAll(List.of(args));
        return Json.mapper().readTree(RegistryServer.exec(cmd));
    }

    @Test
    void thePackagedImageRunsOfflineWithTheDaemonSetsCapabilitiesAndServesMetrics() throws Exception {
        String file = "bee-package-" + UUID.randomUUID().toString().substring(0, 8);
        int port = RegistryServer.freePort();
        String image = registry.host() + "/probes/opensnoop-pod:run";
        Path k8s = tmp.resolve("opensnoop.yaml");
        BeeProcess packed = pack(store, image, "--k8s", k8s.toString(), "-o", "json", "--",
                "--set", "target_pid=" + ProcessHandle.current().pid(), "--filter", "print_opens,filename," + file,
                "--prom-address", "127.0.0.1", "--prom-port", Integer.toString(port), "-o", "json");
        JsonNode result = Json.mapper().readTree(packed.out());
        String digest = result.get("digest").asText();
        assertTrue(Digests.isSha256(digest), packed.out());
        assertTrue(packed.err().contains("keeps /metrics inside the pod"), packed.err());

        // The DaemonSet's capabilities are the only ones the container gets below.
        Map<String, Object> ds = DaemonSetWriterReading.parse(Files.readString(k8s));
        List<String> caps = DaemonSetWriterReading.at(ds, "spec", "template", "spec", "containers", 0, "securityContext",
                "capabilities", "add");
        assertEquals(List.of("BPF", "PERFMON", "SYS_RESOURCE"), caps);

        Path layout = work.resolve("pulled-run");
        RegistryServer.exec(List.of("skopeo", "copy", "-q", "--src-tls-verify=false", "docker://" + image,
                "oci:" + layout + ":pod"));
        Path opened = tmp.resolve(file);
        Files.writeString(opened, "x");
        try (ContainerRootfs rootfs = ContainerRootfs.unpack(layout, "pod", work.resolve("rootfs-run"))) {
            assertTrue(Files.isRegularFile(rootfs.root().resolve("opt/bee/bee.jar")));
            assertTrue(Files.isRegularFile(rootfs.root().resolve("var/lib/bee/store/index.json")));
            Path out = tmp.resolve("out.txt");
            Path err = tmp.resolve("err.txt");
            Process run = rootfs.start(caps, List.of(), out, err);
            try {
                awaitLine(err, "bee: running ", run);
                Files.readAllBytes(opened);
                List<JsonNode> events = awaitEvents(out, run, err);
                assertEquals(1, events.size(), Files.readString(out));
                JsonNode event = events.get(0).get("event");
                assertEquals(opened.toString(), event.get("filename").asText());
                assertEquals(ProcessHandle.current().pid(), event.get("pid").asLong());
                // Every open of this JVM counts as a record; the filter shows only the one of the file.
                String metrics = awaitMetrics(port, "bee_map_records_total{map=\"print_opens\"}", run, err);
                assertTrue(metrics.contains("# TYPE bee_map_records_total counter"), metrics);
                assertTrue(metricValue(metrics, "bee_map_records_total{map=\"print_opens\"}") >= 1, metrics);
                assertTrue(Files.readString(err).contains("only for CAP_SYS_ADMIN"),
                        "the container really lacked CAP_SYS_ADMIN: " + Files.readString(err));
            } finally {
                run.destroy(); // SIGTERM to bee (unshare, sh, setpriv and chroot exec into it)
                if (!run.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    run.destroyForcibly().waitFor();
                }
            }
            assertEquals(0, run.exitValue(), Files.readString(err));
            assertTrue(Files.readString(err).contains("bee: stopped (SIGTERM)"), Files.readString(err));
            assertEquals(List.of(), rootfs.leftoverMounts(), "the mounts lived in the child's namespace only");
        }
    }

    @Test
    void skopeoSeesTheEntrypointPlatformLabelsAndLayers() throws Exception {
        String image = registry.host() + "/probes/opensnoop-pod:inspect";
        String digest = pack(store, image, "--", "--set", "target_pid=1").out().trim();
        JsonNode inspect = skopeo("inspect", "--tls-verify=false", "docker://" + image);
        JsonNode config = skopeo("inspect", "--config", "--tls-verify=false", "docker://" + image);
        JsonNode raw = skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + image);
        JsonNode baseInspect = skopeo("inspect", "--tls-verify=false", "docker://" + base);

        assertEquals(digest, inspect.get("Digest").asText());
        assertEquals("linux", inspect.get("Os").asText());
        assertEquals(dev.bee.core.image.Platform.host().architecture(), inspect.get("Architecture").asText());
        assertEquals("application/vnd.oci.image.manifest.v1+json", raw.get("mediaType").asText());
        JsonNode labels = inspect.get("Labels");
        assertEquals(Map.of("handle_enter", "tracepoint", "handle_exit", "tracepoint"),
                Json.mapper().readValue(labels.get("io.ebpf.programs").asText(), Map.class));
        assertEquals(Map.of("print_opens", "ringbuf", "start", "hash", "bee_lost_print_opens", "per_cpu_array"),
                Json.mapper().readValue(labels.get("io.ebpf.maps").asText(), Map.class));
        assertEquals(program, labels.get("dev.bee.ebpf.image").asText());
        JsonNode described = Json.mapper().readTree(CliRun.of("describe", program, "-o", "json", "--storage",
                store.toString()).out());
        assertEquals(described.get("digest").asText(), labels.get("dev.bee.ebpf.digest").asText());

        // The base's layers, then bee's jar, then the eBPF image's store.
        List<String> layers = new ArrayList<>();
        inspect.get("Layers").forEach(l -> layers.add(l.asText()));
        List<String> baseLayers = new ArrayList<>();
        baseInspect.get("Layers").forEach(l -> baseLayers.add(l.asText()));
        assertEquals(baseLayers.size() + 2, layers.size(), layers.toString());
        assertEquals(baseLayers, layers.subList(0, baseLayers.size()));

        List<String> entrypoint = new ArrayList<>();
        config.get("config").get("Entrypoint").forEach(a -> entrypoint.add(a.asText()));
        assertEquals(List.of("java", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75", "-jar", "/opt/bee/bee.jar", "run",
                "--no-tty", program, "--set", "target_pid=1"), entrypoint);
        assertNull(config.get("config").get("Cmd"), "no CMD: run-time arguments add to bee run's flags");
        assertTrue(config.get("config").get("ExposedPorts").has("9091/tcp"), config.toString());
        List<String> env = new ArrayList<>();
        config.get("config").get("Env").forEach(e -> env.add(e.asText()));
        assertTrue(env.contains("BEE_STORAGE=/var/lib/bee/store"), env.toString());
        assertTrue(env.stream().anyMatch(e -> e.startsWith("PATH=")), "the base's PATH is kept: " + env);
        assertEquals("1970-01-01T00:00:00Z", config.get("created").asText());
    }

    @Test
    void oneInputGivesOneDigestEvenFromAnotherStoreThatPullsTheProgram() throws Exception {
        String a = pack(store, registry.host() + "/probes/opensnoop-pod:a").out().trim();
        // The program pushed, and packaged again from an empty store: bee package pulls it first.
        BeeProcess push = bee("push", program, "--plain-http", "--storage", store.toString());
        assertEquals(0, push.exitCode(), push.err());
        Path empty = tmp.resolve("empty-store");
        String b = pack(empty, registry.host() + "/probes/opensnoop-pod:b").out().trim();
        assertEquals(a, b, "two packagings of one input give one digest");
        assertTrue(Files.isDirectory(empty.resolve("blobs")), "the program was pulled into the store");

        // An OCI layout holds the same image: the digest a registry gets.
        Path oci = tmp.resolve("oci");
        String c = pack(store, registry.host() + "/probes/opensnoop-pod:a", "--to-oci", oci.toString()).out().trim();
        assertEquals(a, c);
        JsonNode fromLayout = skopeo("inspect", "oci:" + oci + ":" + registry.host() + "/probes/opensnoop-pod:a");
        assertEquals(a, fromLayout.get("Digest").asText());
    }

    @Test
    void toTarIsADockerLoadArchiveWhoseBlobsMatchTheirDigests() throws Exception {
        Path tar = tmp.resolve("opensnoop-pod.tar");
        String image = "probes/opensnoop-pod:v1";
        BeeProcess p = pack(store, image, "--to-tar", tar.toString(), "-o", "json");
        assertEquals(tar.toString(), Json.mapper().readTree(p.out()).get("target").asText());
        Path dir = Files.createDirectories(tmp.resolve("archive"));
        Examples.exec("tar", "-xf", tar.toString(), "-C", dir.toString());

        JsonNode manifest = Json.mapper().readTree(dir.resolve("manifest.json").toFile());
        assertEquals(1, manifest.size());
        JsonNode entry = manifest.get(0);
        assertEquals(List.of(image), List.of(entry.get("RepoTags").get(0).asText()));
        Path configFile = dir.resolve(entry.get("Config").asText());
        JsonNode config = Json.mapper().readTree(configFile.toFile());
        JsonNode diffIds = config.get("rootfs").get("diff_ids");
        JsonNode layers = entry.get("Layers");
        assertEquals(diffIds.size(), layers.size());
        for (int i = 0; i < layers.size(); i++) {
            Path layer = dir.resolve(layers.get(i).asText());
            String name = layer.getFileName().toString();
            assertEquals(name.substring(0, 64), sha256(Files.newInputStream(layer)), "file " + name + " is named by its digest");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(layer))) {
                assertEquals(diffIds.get(i).asText(), "sha256:" + sha256(in), "diff_id of layer " + i);
            }
        }
        assertEquals(Json.mapper().readTree(p.out()).get("imageId").asText(), "sha256:" + sha256(Files.newInputStream(configFile)));
        // containers/image (what podman load uses) reads it too.
        JsonNode inspect = skopeo("inspect", "docker-archive:" + tar);
        assertTrue(inspect.get("Labels").get("io.ebpf.programs").asText().contains("handle_enter"));

        Path again = tmp.resolve("again.tar");
        pack(store, image, "--to-tar", again.toString());
        assertEquals(sha256(Files.newInputStream(tar)), sha256(Files.newInputStream(again)), "the archive is reproducible");
    }

    @Test
    void theDaemonSetNamesTheImageByDigestAndPassesTheSchema() throws Exception {
        Path k8s = tmp.resolve("ds.yaml");
        String image = registry.host() + "/probes/opensnoop-pod:k8s";
        JsonNode packed = Json.mapper().readTree(pack(store, image, "--k8s", k8s.toString(), "--k8s-namespace",
                "monitoring", "-o", "json").out());
        String digest = packed.get("digest").asText();
        String programDigest = packed.get("programDigest").asText();
        String yaml = Files.readString(k8s);
        assertEquals(List.of("Namespace", "DaemonSet"), KubernetesSchema.validateManifest(yaml));
        Map<String, Object> ds = DaemonSetWriterReading.parse(yaml);
        assertEquals("opensnoop-pod", DaemonSetWriterReading.at(ds, "metadata", "name"));
        assertEquals("monitoring", DaemonSetWriterReading.at(ds, "metadata", "namespace"));
        Map<String, Object> pod = DaemonSetWriterReading.at(ds, "spec", "template", "spec");
        assertEquals(image + "@" + digest, DaemonSetWriterReading.at(pod, "containers", 0, "image"));
        assertNull(pod.get("hostPID"), "tracepoints need no host PID namespace");
        assertNull(pod.get("hostNetwork"));
        assertEquals(9091, (int) DaemonSetWriterReading.at(pod, "containers", 0, "ports", 0, "containerPort"));
        assertEquals(9091, (int) DaemonSetWriterReading.at(pod, "containers", 0, "readinessProbe", "httpGet", "port"));
        assertEquals(programDigest.substring("sha256:".length(), "sha256:".length() + 12), DaemonSetWriterReading.at(ds,
                "spec", "template", "metadata", "labels", "bee.dev/program-digest"), "the eBPF image's digest, not the pod's");
        assertEquals("9091", DaemonSetWriterReading.at(ds, "spec", "template", "metadata", "annotations",
                "prometheus.io/port"));
        assertFalse(yaml.contains("privileged: true"));
    }

    /**
     * Issue 19 items 10 and 11: an output path that cannot be written is exit 10, "cannot write", for
     * --to-tar and --k8s alike; what is written has the mode the umask gives any new file, not 0600.
     */
    @Test
    void outputsThatCannotBeWrittenAreExit10AndWrittenOnesFollowTheUmask() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        for (String[] out : new String[][]{{"probes/w:v1", "--to-tar", file.resolve("w.tar").toString()},
                {registry.host() + "/probes/w:v1", "--k8s", file.resolve("w.yaml").toString()}}) {
            BeeProcess p = bee("package", program, out[0], "--base", base, "--plain-http", "--storage", store.toString(),
                    out[1], out[2]);
            assertEquals(10, p.exitCode(), p.err());
            assertTrue(p.err().contains("bee: error: cannot write "), p.err());
            assertTrue(p.err().contains("a part of the path is a file, not a folder"), p.err());
        }
        String fresh = mode(Files.createFile(tmp.resolve("fresh")));
        assertFalse(fresh.equals("rw-------"), "the test's umask must leave more than the owner's bits: " + fresh);
        Path tar = tmp.resolve("m.tar");
        pack(store, "probes/m:v1", "--to-tar", tar.toString());
        Path k8s = tmp.resolve("m.yaml");
        pack(store, registry.host() + "/probes/m:v1", "--k8s", k8s.toString());
        assertEquals(fresh, mode(tar), "--to-tar's archive");
        assertEquals(fresh, mode(k8s), "--k8s's manifest");
    }

    private static String mode(Path p) throws IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void errorsSayWhatToDo() {
        CliRun noBase = CliRun.of("package", program, "x/y:v1", "--storage", store.toString(), "--base", "");
        assertEquals(2, noBase.exitCode(), noBase.err());
        assertTrue(noBase.err().contains("hint: a base is a Java 17+ runtime"), noBase.err());

        CliRun badFlag = CliRun.of("package", program, "x/y:v1", "--base", base, "--storage", store.toString(), "--",
                "--duration", "5s");
        assertEquals(2, badFlag.exitCode(), badFlag.err());
        assertTrue(badFlag.err().contains("--duration cannot be baked into the image"), badFlag.err());

        BeeProcess missing = bee("package", program, registry.host() + "/probes/x:v1", "--base",
                registry.host() + "/bee/no-such-base:1", "--plain-http", "--storage", store.toString());
        assertEquals(7, missing.exitCode(), missing.err());
        assertTrue(missing.err().contains("the base image " + registry.host() + "/bee/no-such-base:1 was not found"),
                missing.err());
        assertTrue(missing.err().contains("docs/packaging.md"), missing.err());

        BeeProcess noProgram = bee("package", registry.host() + "/probes/nothing:v1", "x/y:v1", "--base", base,
                "--plain-http", "--to-tar", tmp.resolve("x.tar").toString(), "--storage", store.toString());
        assertEquals(7, noProgram.exitCode(), noProgram.err());
        assertTrue(noProgram.err().contains("cannot pull " + registry.host() + "/probes/nothing:v1"), noProgram.err());
    }

    /**
     * A loopback registry needs no --plain-http (as for push and pull), and its credentials come from a
     * Docker credential helper, run by bee: the base is pulled and the image pushed with them, at once
     * (Jib alone tried TLS for 38-52 s and failed).
     */
    @Test
    void aLoopbackRegistryWithCredentialsFromAHelperNeedsNoPlainHttp() throws Exception {
        try (RegistryServer auth = RegistryServer.start("beetest", "s3cret-Pa55")) {
            String authBase = auth.host() + "/bee/base:17";
            RegistryServer.exec(List.of("skopeo", "copy", "-q", "--src-tls-verify=false", "--dest-tls-verify=false",
                    "--dest-creds", "beetest:s3cret-Pa55", "docker://" + base, "docker://" + authBase));
            Path bin = Files.createDirectories(tmp.resolve("bin"));
            Path helper = bin.resolve("docker-credential-beetest");
            Files.writeString(helper, """
                    #!/bin/sh
                    read -r server
                    if [ "$1" = get ] && [ "$server" = "%s" ]; then
                      echo '{"ServerURL":"%s","Username":"beetest","Secret":"s3cret-Pa55"}'; exit 0
                    fi
                    echo "credentials not found in native keychain"; exit 1
                    """.formatted(auth.host(), auth.host()));
            Files.setPosixFilePermissions(helper, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Path config = Files.writeString(tmp.resolve("config.json"),
                    "{\"credHelpers\": {\"" + auth.host() + "\": \"beetest\"}}");

            String image = auth.host() + "/probes/opensnoop-pod:auth";
            long start = System.nanoTime();
            BeeProcess p = BeeProcess.start(Map.of("BEE_HOME", work.resolve("home").toString(),
                            "PATH", bin + ":" + System.getenv("PATH")),
                    "package", program, image, "--base", authBase, "--storage", store.toString(),
                    "--config", config.toString(), "-o", "json");
            p.waitFor(TIMEOUT);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(0, p.exitCode(), p.err());
            assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "took " + took);
            JsonNode out = Json.mapper().readTree(p.out());
            JsonNode pushed = skopeo("inspect", "--tls-verify=false", "--creds", "beetest:s3cret-Pa55", "docker://" + image);
            assertEquals(out.get("digest").asText(), pushed.get("Digest").asText());

            // The base image's size: its layers as the registry stores them.
            JsonNode manifest = skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + base);
            long size = 0;
            for (JsonNode layer : manifest.get("layers")) {
                size += layer.get("size").asLong();
            }
            assertTrue(size > 0, manifest.toString());
            assertEquals(size, out.get("baseSize").asLong(), p.out());
        }
    }

    @Test
    void theBaseImageSizeIsPrinted() {
        BeeProcess p = pack(store, registry.host() + "/probes/opensnoop-pod:size");
        assertTrue(p.err().matches("(?s).*on " + java.util.regex.Pattern.quote(base) + "@sha256:[0-9a-f]{64} \\(base image"
                + " [0-9.]+ [KMG]iB\\).*"), p.err());
    }

    /**
     * A registry whose certificate bee cannot check, without --insecure: a clear error at once, none of
     * Jib's colour-coded log lines, and no folder or file for the image that was not made.
     */
    @Test
    void aFailedPackageLeavesNoOutputAndPrintsNoColourCodes() throws Exception {
        try (RegistryServer tls = RegistryServer.startTls()) {
            Path oci = tmp.resolve("layout");
            Path tar = tmp.resolve("image.tar");
            for (List<String> target : List.of(List.of("--to-oci", oci.toString()), List.of("--to-tar", tar.toString()))) {
                List<String> args = new ArrayList<>(List.of("package", program, "probes/x:v1", "--base",
                        tls.host() + "/bee/base:17", "--storage", store.toString()));
                args.addAll(target);
                BeeProcess p = bee(args.toArray(String[]::new));
                assertEquals(6, p.exitCode(), p.err());
                assertTrue(p.err().contains("--insecure"), p.err());
                assertFalse(p.err().contains("\u001B"), "no terminal escapes: " + p.err());
                assertFalse(p.err().contains("Exception"), p.err());
            }
            assertFalse(Files.exists(oci));
            assertFalse(Files.exists(tar));
            assertEquals(List.of(), partials(tmp));
        }
    }

    /** A package killed while it writes --to-oci leaves no folder; the next one to that folder sweeps its parts. */
    @Test
    void aKilledPackageToOciLeavesNothing() throws Exception {
        Path oci = tmp.resolve("killed");
        BeeProcess p = BeeProcess.start(Map.of("BEE_HOME", work.resolve("home").toString()), "package", program,
                "probes/x:v1", "--base", base, "--plain-http", "--to-oci", oci.toString(), "--storage", store.toString());
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (partials(tmp).isEmpty()) {
            assertTrue(System.nanoTime() < end && p.exitCodeOrRunning(), "no partial output appeared: " + p.err());
            Thread.sleep(10);
        }
        ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL
        p.waitFor(TIMEOUT);
        assertFalse(Files.exists(oci), "no folder holding part of an image");

        pack(store, "probes/x:v1", "--to-oci", oci.toString());
        assertTrue(Files.isRegularFile(oci.resolve("oci-layout")));
        assertEquals(List.of(), partials(tmp), "the killed package's parts are gone");
    }

    @Test
    void outputsThatAreNotBeesToWriteAreRefused() throws Exception {
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(mine.resolve("index.json"), "{\"mine\": true}");
        CliRun oci = CliRun.of("package", program, "probes/x:v1", "--base", base, "--plain-http", "--to-oci",
                mine.toString(), "--storage", store.toString());
        assertEquals(2, oci.exitCode(), oci.err());
        assertTrue(oci.err().contains("not an OCI image layout"), oci.err());
        assertEquals("{\"mine\": true}", Files.readString(mine.resolve("index.json")));
        assertEquals(List.of("index.json"), List.of(mine.toFile().list()));

        Path both = tmp.resolve("both");
        CliRun same = CliRun.of("package", program, "probes/x:v1", "--base", base, "--plain-http", "--to-tar",
                both.toString(), "--k8s", both.toString(), "--storage", store.toString());
        assertEquals(2, same.exitCode(), same.err());
        assertTrue(same.err().contains("name the same file"), same.err());
        assertFalse(Files.exists(both));
    }

    private static List<Path> partials(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(q -> q.getFileName().toString().contains(".bee-partial-")).toList();
        }
    }

    // ---- helpers ----

    private static void awaitLine(Path file, String text, Process p) throws Exception {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            if (Files.readString(file).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError("the container ended (" + p.exitValue() + "): " + Files.readString(file));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' in time: " + Files.readString(file));
    }

    private static String awaitMetrics(int port, String line, Process p, Path err) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build();
        String last = "";
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < end && p.isAlive()) {
            HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
            last = r.body();
            if (r.statusCode() == 200 && last.contains(line)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + line + "' in /metrics: " + last + "\n" + Files.readString(err));
    }

    private static double metricValue(String exposition, String series) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        throw new AssertionError("no series " + series + " in " + exposition);
    }

    private static List<JsonNode> awaitEvents(Path out, Process p, Path err) throws Exception {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < end && p.isAlive()) {
            List<JsonNode> events = new ArrayList<>();
            for (String line : Files.readString(out).split("\n")) {
                if (!line.isBlank()) {
                    JsonNode n = Json.mapper().readTree(line);
                    if ("print_opens".equals(n.path("map").asText())) {
                        events.add(n);
                    }
                }
            }
            if (!events.isEmpty()) {
                return events;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no event on stdout: " + Files.readString(out) + "\n" + Files.readString(err));
    }

    private static String sha256(InputStream in) throws Exception {
        try (in) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        }
    }

    /** The DaemonSet read by snakeyaml-engine, independently of the writer. */
    static final class DaemonSetWriterReading {
        private DaemonSetWriterReading() {
        }

        /** The DaemonSet among the file's documents (a Namespace, a Service and a PodMonitor may come with it). */
        @SuppressWarnings("unchecked")
        static Map<String, Object> parse(String yaml) {
            for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
                Map<String, Object> m = (Map<String, Object>) doc;
                if ("DaemonSet".equals(m.get("kind"))) {
                    return m;
                }
            }
            throw new AssertionError("no DaemonSet in " + yaml);
        }

        @SuppressWarnings("unchecked")
        static <T> T at(Object node, Object... path) {
            Object cur = node;
            for (Object p : path) {
                cur = p instanceof Integer i ? ((List<Object>) cur).get(i) : ((Map<String, Object>) cur).get(p);
            }
            return (T) cur;
        }
    }
}
