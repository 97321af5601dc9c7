package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.testing.RegistryServer;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Container identity on real containers: two podman containers (an image imported from this host's
 * sh, cat and sleep) open files in a loop; bee runs a real program on the host that emits the opener's
 * pid and counts opens per cgroup id, with {@code --enrich container} and podman's Docker-compatible API
 * ({@code podman system service} on a socket of the test's own). Events, metric series and the
 * {@code --container} filter must carry each container's own id and name.
 */
class PodmanIdentityIT {
    private static final String SOURCE = """
            #include "vmlinux.h"
            #include <bpf/bpf_helpers.h>

            /* Opens as events (who: the pid) and counted per cgroup (who: the cgroup id). */
            struct event_t {
            	u32 pid;
            	char comm[16];
            };

            struct key_t {
            	u64 cgroup_id;
            };

            struct {
            	__uint(type, BPF_MAP_TYPE_RINGBUF);
            	__uint(max_entries, 1 << 20);
            	__type(value, struct event_t);
            } print_opens SEC(".maps");

            struct {
            	__uint(type, BPF_MAP_TYPE_HASH);
            	__uint(max_entries, 4096);
            	__type(key, struct key_t);
            	__type(value, u64);
            } counter_opens SEC(".maps");

            SEC("tracepoint/syscalls/sys_enter_openat")
            int count_open(void *ctx)
            {
            	struct key_t k = {.cgroup_id = bpf_get_current_cgroup_id()};
            	u64 one = 1, *n = bpf_map_lookup_elem(&counter_opens, &k);
            	if (n)
            		__sync_fetch_and_add(n, 1);
            	else
            		bpf_map_update_elem(&counter_opens, &k, &one, BPF_NOEXIST);
            	struct event_t *e = bpf_ringbuf_reserve(&print_opens, sizeof(*e), 0);
            	if (!e)
            		return 0;
            	e->pid = bpf_get_current_pid_tgid() >> 32;
            	bpf_get_current_comm(e->comm, sizeof(e->comm));
            	bpf_ringbuf_submit(e, 0);
            	return 0;
            }

            char LICENSE[] SEC("license") = "GPL";
            """;

    private static Path work;
    private static Map<String, String> podmanEnv;
    private static String image;
    private static final List<String> names = new ArrayList<>();
    private static final List<String> ids = new ArrayList<>();
    private static Process service;
    private static Path socket;
    private static Path object;

    @BeforeAll
    static void containers() throws Exception {
        Requirements.requireRoot();
        Requirements.requireKernelBtf();
        Requirements.requireTool("podman");
        Requirements.requireTool("clang");
        work = Files.createTempDirectory("bee-identity-it-");
        Path conf = work.resolve("containers.conf");
        // this host's quirk (PodmanIT.hostQuirks): no CAP_SYS_RESOURCE for podman's default ulimits
        Files.writeString(conf, "[containers]\ndefault_ulimits = [\"nofile=10000:10000\", \"nproc=32768:32768\"]\n");
        podmanEnv = Map.of("CONTAINERS_CONF", conf.toString());
        image = "localhost/bee-identity-it:" + UUID.randomUUID().toString().substring(0, 8);
        run(List.of("podman", "import", rootfsTar().toString(), image));
        for (String file : List.of("/etc/hostname", "/etc/passwd")) {
            String name = "bee-id-" + UUID.randomUUID().toString().substring(0, 8);
            String id = run(List.of("podman", "run", "-d", "--name", name, image, "/bin/sh", "-c",
                    "while :; do cat " + file + " >/dev/null; sleep 0.1; done")).strip();
            names.add(name);
            ids.add(id.substring(id.lastIndexOf('\n') + 1));
        }
        socket = work.resolve("podman.sock");
        ProcessBuilder pb = new ProcessBuilder("podman", "system", "service", "--time=0", "unix://" + socket)
                .redirectErrorStream(true).redirectOutput(work.resolve("service.log").toFile());
        pb.environment().putAll(podmanEnv);
        service = pb.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(socket)) {
            if (System.nanoTime() > end || !service.isAlive()) {
                fail("podman system service did not make " + socket + ": " + Files.readString(work.resolve("service.log")));
            }
            Thread.sleep(50);
        }
        object = work.resolve("idsnoop.o");
        Path src = work.resolve("idsnoop.c");
        Files.writeString(src, SOURCE);
        BeeProcess build = BeeProcess.run(Duration.ofSeconds(120), "build", src.toString(), "-o", object.toString());
        assertEquals(0, build.exitCode(), build.err());
    }

    /** A root file system of this host's sh, cat and sleep with the libraries they load. */
    private static Path rootfsTar() throws IOException, InterruptedException {
        Path root = work.resolve("rootfs");
        for (String dir : List.of("bin", "tmp", "proc", "sys", "dev", "etc")) {
            Files.createDirectories(root.resolve(dir));
        }
        StringBuilder copy = new StringBuilder("set -e\n");
        for (String bin : List.of("/bin/sh", "/bin/cat", "/bin/sleep")) {
            copy.append("cp -L ").append(bin).append(" \"$1/bin/\"\n");
            copy.append("for l in $(ldd ").append(bin).append(" | grep -o '/[^ ]*'); do mkdir -p \"$1$(dirname $l)\"; "
                    + "cp -L $l \"$1$l\"; done\n");
        }
        run(List.of("sh", "-c", copy.toString(), "copy", root.toString()));
        Path tar = work.resolve("rootfs.tar");
        run(List.of("tar", "-C", root.toString(), "-cf", tar.toString(), "."));
        return tar;
    }

    @AfterAll
    static void cleanUp() throws IOException, InterruptedException {
        for (String name : names) {
            runQuietly(List.of("podman", "rm", "-f", "-t", "0", name));
        }
        if (service != null) {
            service.destroy();
            service.waitFor(10, TimeUnit.SECONDS);
        }
        if (image != null) {
            runQuietly(List.of("podman", "rmi", "-f", image));
        }
        if (work != null) {
            try (Stream<Path> s = Files.walk(work)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void eventsCarryTheirContainersIdAndName() {
        BeeProcess bee = BeeProcess.run(Duration.ofSeconds(60), "run", object.toString(), "--enrich", "container",
                "--runtime-socket", socket.toString(), "--duration", "3s", "-o", "json", "--no-tty", "--prom-port", "0");
        assertEquals(0, bee.exitCode(), bee.err());
        List<JsonNode> events = bee.records("print_opens");
        for (int i = 0; i < 2; i++) {
            String id = ids.get(i).substring(0, 12);
            String name = names.get(i);
            List<JsonNode> mine = events.stream().filter(e -> id.equals(e.path("event").path("container.id").asText())).toList();
            assertFalse(mine.isEmpty(), "events of " + name + " in " + bee.out().lines().limit(5).toList());
            for (JsonNode e : mine) {
                assertEquals("podman", e.path("event").path("container.runtime").asText(), e.toString());
                String n = e.path("event").path("container.name").asText();
                assertTrue(n.equals(name) || n.isEmpty(), "an id is never given another container's name: " + e);
            }
            // listed before the first record: every event of a running container is named
            assertTrue(mine.stream().allMatch(e -> name.equals(e.path("event").path("container.name").asText())),
                    "named from the first event: " + mine.get(0));
        }
        // this host's own processes are in no container: the same fields, empty
        assertTrue(events.stream().anyMatch(e -> e.path("event").path("container.id").asText().isEmpty()
                && e.path("event").has("container.name")), "host events carry empty fields");
    }

    @Test
    void theContainerFilterKeepsOnlyThatContainer() {
        String name = names.get(1);
        BeeProcess bee = BeeProcess.run(Duration.ofSeconds(60), "run", object.toString(), "--enrich", "container",
                "--container", name, "--runtime-socket", socket.toString(), "--duration", "3s", "-o", "json", "--no-tty",
                "--prom-port", "0");
        assertEquals(0, bee.exitCode(), bee.err());
        List<JsonNode> events = bee.records("print_opens");
        assertFalse(events.isEmpty(), bee.err());
        for (JsonNode e : events) {
            assertEquals(name, e.path("event").path("container.name").asText(), e.toString());
            assertEquals(ids.get(1).substring(0, 12), e.path("event").path("container.id").asText(), e.toString());
        }
        // the rest are counted as filtered in the summary
        assertTrue(bee.err().matches("(?s).*print_opens\\s+ring buffer\\s+\\d+\\s+\\d+\\s+[1-9]\\d*.*"), bee.err());
    }

    @Test
    void textLinesShowTheContainer() {
        String name = names.get(0);
        BeeProcess bee = BeeProcess.run(Duration.ofSeconds(60), "run", object.toString(), "--enrich", "container",
                "--container", ids.get(0).substring(0, 8), "--runtime-socket", socket.toString(), "--max-events", "3",
                "--duration", "20s", "--no-tty", "--prom-port", "0");
        assertEquals(0, bee.exitCode(), bee.err());
        List<String> lines = bee.out().lines().filter(l -> !l.isBlank()).toList();
        assertTrue(lines.size() >= 3, bee.out());
        // a header then rows, or key=value lines: either way each record names its container
        long named = lines.stream().filter(l -> l.contains(name) && l.contains(ids.get(0).substring(0, 12))
                && l.contains("podman")).count();
        assertTrue(named >= 3, bee.out());
    }

    @Test
    void metricSeriesPerContainerByCgroupId() throws Exception {
        int port = RegistryServer.freePort();
        BeeProcess bee = BeeProcess.start("run", object.toString(), "--enrich", "container", "--runtime-socket",
                socket.toString(), "--duration", "20s", "-o", "none", "--no-tty", "--prom-port", Integer.toString(port));
        try {
            bee.awaitAttached(Duration.ofSeconds(60));
            HttpClient http = HttpClient.newHttpClient();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            String exposition = "";
            while (System.nanoTime() < end && !(exposition.contains(names.get(0)) && exposition.contains(names.get(1)))) {
                Thread.sleep(300);
                exposition = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            }
            for (int i = 0; i < 2; i++) {
                String series = "container_id=\"" + ids.get(i).substring(0, 12) + "\",container_name=\"" + names.get(i)
                        + "\",container_runtime=\"podman\"}";
                List<String> lines = exposition.lines().filter(l -> l.startsWith("ebpf_solo_io_opens_total{")
                        && l.contains(series)).toList();
                assertEquals(1, lines.size(), series + " in\n" + exposition);
                assertTrue(lines.get(0).matches("ebpf_solo_io_opens_total\\{cgroup_id=\"\\d+\",.*"), lines.get(0));
                // no nameless twin of a container's series
                assertFalse(exposition.contains("container_id=\"" + ids.get(i).substring(0, 12) + "\",container_name=\"-\""),
                        exposition);
            }
        } finally {
            bee.signal("TERM");
            bee.waitFor(Duration.ofSeconds(30));
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(podmanEnv);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + ": timed out");
        }
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        return out;
    }

    private static void runQuietly(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(podmanEnv);
        Process p = pb.start();
        p.waitFor(60, TimeUnit.SECONDS);
    }
}
