package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.image.Digests;
import dev.bee.core.image.MediaTypes;
import dev.bee.core.io.Json;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.RegistryServer;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Images end to end against a real registry (Debian's docker-registry on loopback): build, push,
 * rmi, pull, run; tag, list, describe; reproducible digests; and skopeo as an independent client
 * reading what bee pushed and copying bee's store to the registry and back.
 */
class ImageRegistryIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static RegistryServer registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startRegistry() {
        Requirements.requireTool("clang");
        Requirements.requireKernelBtf();
        registry = RegistryServer.start();
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    private static String source(String example) {
        return Examples.source(example).toString();
    }

    private CliRun bee(Path store, String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--storage";
        all[args.length + 1] = store.toString();
        return CliRun.of(all);
    }

    private String build(Path store, String ref, String... extra) {
        String[] args = new String[4 + extra.length];
        args[0] = "build";
        args[1] = source("opensnoop");
        args[2] = ref;
        args[3] = "--output-file=" + tmp.resolve(UUID.randomUUID() + ".o");
        System.arraycopy(extra, 0, args, 4, extra.length);
        CliRun r = bee(store, args);
        assertEquals(0, r.exitCode(), r.err());
        return r.out().trim();
    }

    @Test
    void buildPushRmiPullRunRoundTrip() throws Exception {
        Requirements.requireRoot();
        Path store = tmp.resolve("store");
        String ref = registry.host() + "/probes/opensnoop:v1";
        String digest = build(store, ref, "--description", "files opened", "--author", "bee tests");
        assertTrue(Digests.isSha256(digest), digest);

        CliRun push = bee(store, "push", ref, "--plain-http");
        assertEquals(0, push.exitCode(), push.err());
        assertEquals(digest, push.out().trim(), "the registry holds the local manifest byte for byte");
        assertTrue(push.err().contains("2 blobs sent"), push.err());
        CliRun again = bee(store, "push", ref, "--plain-http");
        assertTrue(again.err().contains("0 blobs sent, 2 already there"), again.err());

        CliRun rmi = bee(store, "rmi", ref);
        assertEquals(0, rmi.exitCode(), rmi.err());
        assertEquals(List.of(), Json.mapper().readTree(bee(store, "list", "-o", "json").out()).findValuesAsText("name"));
        try (var blobs = Files.list(store.resolve("blobs/sha256"))) {
            assertEquals(0, blobs.count(), "rmi of the last name deletes the blobs");
        }

        CliRun pull = bee(store, "pull", ref, "--plain-http");
        assertEquals(0, pull.exitCode(), pull.err());
        assertEquals(digest, pull.out().trim());
        assertTrue(pull.err().contains("bee image"), pull.err());

        // Run from the store, as a separate process on the real kernel.
        OpensnoopCheck.runShowsThisTestsOpen(ref, store, tmp);
    }

    @Test
    void platformSurvivesPushRmiAndPull() throws Exception {
        Path store = tmp.resolve("store");
        String ref = registry.host() + "/probes/platform:v1";
        build(store, ref);
        JsonNode built = Json.mapper().readTree(bee(store, "list", "-o", "json").out()).get(0);
        String platform = built.get("platform").asText();
        String kernel = System.getProperty("os.version");
        assertTrue(platform.startsWith("linux/"), built.toString());
        assertEquals(kernel, built.get("kernel").asText());

        assertEquals(0, bee(store, "push", ref, "--plain-http").exitCode());
        assertEquals(0, bee(store, "rmi", ref).exitCode());
        CliRun pull = bee(store, "pull", ref, "--plain-http");
        assertEquals(0, pull.exitCode(), pull.err());
        assertTrue(pull.err().contains(", " + platform + ")"), pull.err());

        JsonNode pulled = Json.mapper().readTree(bee(store, "list", "-o", "json").out()).get(0);
        assertEquals(platform, pulled.get("platform").asText(), pulled.toString());
        assertEquals(kernel, pulled.get("kernel").asText(), pulled.toString());
        assertTrue(bee(store, "list").out().lines().anyMatch(l -> l.startsWith(ref) && l.endsWith(platform)));
        String text = bee(store, "describe", ref).out();
        assertTrue(text.contains("platform:  " + platform + " (" + kernel + ")"), text);
        // Recorded where BumbleBee keeps it too: on the descriptor in the store's index.json.
        JsonNode index = Json.mapper().readTree(store.resolve("index.json").toFile());
        assertEquals(kernel, index.get("manifests").get(0).get("platform").get("os.version").asText(), index.toString());
    }

    @Test
    void loopbackRegistriesNeedNoPlainHttp() {
        Path store = tmp.resolve("store");
        for (String host : List.of(registry.host(), "localhost:" + registry.port())) {
            String ref = host + "/probes/loopback:v1";
            String digest = build(store, ref);
            CliRun push = bee(store, "push", ref);
            assertEquals(0, push.exitCode(), push.err());
            assertEquals(digest, push.out().trim());
            assertEquals(0, bee(store, "rmi", ref).exitCode());
            CliRun pull = bee(store, "pull", ref);
            assertEquals(0, pull.exitCode(), pull.err());
            assertEquals(digest, pull.out().trim());
        }
    }

    @Test
    void aRegistryOffLoopbackStillNeedsPlainHttp() {
        String address = RegistryServer.nonLoopbackAddress();
        try (RegistryServer remote = RegistryServer.startOn(address)) {
            Path store = tmp.resolve("store");
            String ref = remote.host() + "/probes/remote:v1";
            build(store, ref);
            for (String command : List.of("push", "pull")) {
                CliRun r = bee(store, command, ref);
                assertEquals(6, r.exitCode(), command + ": " + r.err());
                assertTrue(r.err().contains("TLS with " + remote.host() + " failed"), r.err());
                assertTrue(r.err().contains("add --plain-http"), r.err());
            }
            CliRun push = bee(store, "push", ref, "--plain-http");
            assertEquals(0, push.exitCode(), push.err());
        }
    }

    /** A registry with a self-signed certificate (for another name): refused with a hint, taken with --insecure. */
    @Test
    void aSelfSignedRegistryIsTakenOnlyWithInsecure() {
        try (RegistryServer tls = RegistryServer.startTls()) {
            Path store = tmp.resolve("store");
            String ref = tls.host() + "/probes/tls:v1";
            String digest = build(store, ref);
            for (String command : List.of("push", "pull")) {
                CliRun r = bee(store, command, ref);
                assertEquals(6, r.exitCode(), command + ": " + r.err());
                assertTrue(r.err().contains("TLS with " + tls.host() + " failed"), r.err());
                assertTrue(r.err().contains("add --insecure"), r.err());
            }
            CliRun push = bee(store, "push", ref, "--insecure");
            assertEquals(0, push.exitCode(), push.err());
            assertEquals(digest, push.out().trim());
            assertEquals(0, bee(store, "rmi", ref).exitCode());
            CliRun pull = bee(store, "pull", ref, "--insecure");
            assertEquals(0, pull.exitCode(), pull.err());
            assertEquals(digest, pull.out().trim());
        }
    }

    @Test
    void pushCountsTheBlobsItSends() throws Exception {
        Path store = tmp.resolve("store");
        String repo = "probes/counted";
        String ref = registry.host() + "/" + repo + ":v1";
        build(store, ref);
        String layer = Json.mapper().readTree(bee(store, "describe", ref, "-o", "json").out())
                .get("layers").get(0).get("digest").asText();
        // The program layer is in the repository already; the config is not.
        new RawRegistry(registry.host()).blob(repo, Files.readAllBytes(store.resolve("blobs/sha256/" + layer.substring(7))));
        CliRun push = bee(store, "push", ref, "--plain-http");
        assertEquals(0, push.exitCode(), push.err());
        assertTrue(push.err().contains("(1 blob sent, 1 already there)"), push.err());
    }

    @Test
    void runPullsAMissingImage() throws Exception {
        Requirements.requireRoot();
        Path store = tmp.resolve("store");
        String ref = registry.host() + "/probes/autopull:v1";
        build(store, ref);
        assertEquals(0, bee(store, "push", ref, "--plain-http").exitCode());
        Path empty = tmp.resolve("empty");
        try (BeeProcess run = BeeProcess.start("run", ref, "--storage", empty.toString(), "--plain-http",
                "-o", "json", "--duration", "1")) {
            assertEquals(0, run.waitFor(TIMEOUT), run.err());
            assertTrue(run.err().contains("bee: running " + ref), run.err());
            assertTrue(run.err().contains(" for 1s"), "the duration in its normal form: " + run.err());
        }
        assertTrue(bee(empty, "list").out().contains(ref));
    }

    @Test
    void sameSourceGivesTheSameDigest() {
        String a = build(tmp.resolve("a"), "repro/opensnoop:v1");
        String b = build(tmp.resolve("b"), "repro/opensnoop:v1");
        assertEquals(a, b, "two builds of one source with one compiler give one manifest digest");
        String c = build(tmp.resolve("c"), "repro/opensnoop:v1", "--description", "other");
        assertNotEquals(a, c, "annotations are part of the manifest");
    }

    @Test
    void tagListDescribe() throws Exception {
        Path store = tmp.resolve("store");
        String digest = build(store, "my_probe:v1", "--description", "opens", "--author", "me",
                "--source", "https://example.org/bee");
        CliRun tag = bee(store, "tag", "my_probe:v1", registry.host() + "/team/probe:v2");
        assertEquals(0, tag.exitCode(), tag.err());

        JsonNode list = Json.mapper().readTree(bee(store, "list", "-o", "json").out());
        assertEquals(2, list.size(), list.toString());
        for (JsonNode row : list) {
            assertEquals(digest, row.get("digest").asText());
            assertEquals("bee", row.get("kind").asText());
            assertEquals("[\"handle_enter\",\"handle_exit\"]", row.get("programs").toString());
            assertTrue(row.get("platform").asText().startsWith("linux/"), row.toString());
        }
        String text = bee(store, "list").out();
        assertTrue(text.startsWith("NAME"), text);
        assertTrue(text.contains("my_probe:v1") && text.contains(registry.host() + "/team/probe:v2"), text);

        JsonNode d = Json.mapper().readTree(bee(store, "describe", "my_probe:v1", "-o", "json").out());
        assertEquals(digest, d.get("digest").asText());
        assertEquals("opens", d.get("annotations").get(MediaTypes.DESCRIPTION).asText());
        assertEquals("me", d.get("annotations").get(MediaTypes.AUTHORS).asText());
        assertEquals("https://example.org/bee", d.get("annotations").get(MediaTypes.SOURCE).asText());
        assertEquals(System.getProperty("os.version"), d.get("platform").get("osVersion").asText());
        assertEquals(MediaTypes.EBPF_PROGRAM, d.get("layers").get(0).get("mediaType").asText());
        assertEquals("print_opens", d.get("object").get("maps").get(1).get("name").asText());
        assertEquals("opensnoop.c", d.get("object").get("build").get("source").asText());
        assertTrue(bee(store, "describe", digest.substring(7, 19)).out().contains("handle_enter"));

        // One name goes; the other keeps the image.
        assertEquals(0, bee(store, "rmi", "my_probe:v1").exitCode());
        assertEquals(1, Json.mapper().readTree(bee(store, "list", "-o", "json").out()).size());
        CliRun missing = bee(store, "describe", "my_probe:v1");
        assertEquals(7, missing.exitCode(), missing.err());
        assertTrue(missing.err().contains("is not in the local store"), missing.err());
    }

    @Test
    void skopeoReadsWhatBeePushedAndCopiesBeesStore() throws Exception {
        Path skopeo = Requirements.requireTool("skopeo");
        Path store = tmp.resolve("store");
        String ref = registry.host() + "/interop/opensnoop:v1";
        String digest = build(store, ref);
        assertEquals(0, bee(store, "push", ref, "--plain-http").exitCode());

        JsonNode raw = Json.mapper().readTree(RegistryServer.exec(List.of(skopeo.toString(), "inspect", "--raw",
                "--tls-verify=false", "docker://" + ref)));
        assertEquals(MediaTypes.OCI_MANIFEST, raw.get("mediaType").asText());
        assertEquals(MediaTypes.EBPF_CONFIG, raw.get("config").get("mediaType").asText());
        assertEquals("config.json", raw.get("config").get("annotations").get(MediaTypes.TITLE).asText());
        assertEquals(1, raw.get("layers").size());
        assertEquals(MediaTypes.EBPF_PROGRAM, raw.get("layers").get(0).get("mediaType").asText());
        assertEquals("program.o", raw.get("layers").get(0).get("annotations").get(MediaTypes.TITLE).asText());
        assertFalse(raw.get("config").has("data"), "no inline blob data in bee's manifests");
        // The platform travels in the config's OCI fields.
        JsonNode config = Json.mapper().readTree(RegistryServer.exec(List.of(skopeo.toString(), "inspect", "--config",
                "--raw", "--tls-verify=false", "docker://" + ref)));
        assertEquals("linux", config.get("os").asText(), config.toString());
        assertEquals(System.getProperty("os.version"), config.get("os.version").asText(), config.toString());
        assertTrue(config.get("architecture").isTextual(), config.toString());

        // By digest, as Docker references allow; the digest is checked against the manifest's bytes.
        String byDigest = registry.host() + "/interop/opensnoop@" + digest;
        CliRun pinned = bee(tmp.resolve("pinned"), "pull", byDigest, "--plain-http");
        assertEquals(0, pinned.exitCode(), pinned.err());
        assertEquals(digest, pinned.out().trim());
        assertTrue(bee(tmp.resolve("pinned"), "describe", byDigest).out().contains("handle_enter"));
        CliRun unknown = bee(tmp.resolve("pinned"), "pull", registry.host() + "/interop/opensnoop@sha256:"
                + "0".repeat(64), "--plain-http");
        assertEquals(7, unknown.exitCode(), unknown.err());

        // bee's store is an OCI layout skopeo reads: copy it to the registry under another name and back.
        String copied = registry.host() + "/interop/copied:v1";
        RegistryServer.exec(List.of(skopeo.toString(), "copy", "--dest-tls-verify=false",
                "oci:" + store + ":" + ref, "docker://" + copied));
        CliRun pull = bee(tmp.resolve("other"), "pull", copied, "--plain-http");
        assertEquals(0, pull.exitCode(), pull.err());
        assertEquals(digest, pull.out().trim(), "skopeo kept the manifest as bee wrote it");
        Path back = tmp.resolve("back");
        RegistryServer.exec(List.of(skopeo.toString(), "copy", "--src-tls-verify=false",
                "docker://" + copied, "oci:" + back + ":" + "copied:v1"));
        CliRun desc = bee(back, "describe", "copied:v1", "-o", "json");
        assertEquals(0, desc.exitCode(), desc.err());
        assertEquals(digest, Json.mapper().readTree(desc.out()).get("digest").asText());
    }
}
