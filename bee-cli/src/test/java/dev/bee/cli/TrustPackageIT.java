package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.io.Json;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.RegistryServer;
import dev.bee.core.testing.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bee package --verify-key --bake-trust}: the eBPF image is checked before it is packaged, and the packaged
 * container checks it again on its own, offline (the eBPF image's registry is gone by then), from the baked key
 * and signature; an altered key in the container stops it with exit code 11 before anything is loaded.
 */
class TrustPackageIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final List<String> CAPS = List.of("BPF", "PERFMON", "SYS_RESOURCE");
    private static RegistryServer registry;
    private static RegistryServer programs;
    private static Path work;
    private static String base;
    private static String program;
    private static Path store;

    @BeforeAll
    static void baseImageAndSignedProgram() throws Exception {
        BaseImage.requirements("unshare", "setpriv", "chroot", "tar");
        registry = RegistryServer.start();
        programs = RegistryServer.start();
        work = Files.createTempDirectory("bee-trust-package-it-");
        base = BaseImage.pushTo(registry, work);
        store = work.resolve("store");
        program = programs.host() + "/probes/opensnoop:signed";
        CliRun build = CliRun.of("build", Examples.source("opensnoop").toString(), program,
                "-o", work.resolve("opensnoop.o").toString(), "--storage", store.toString());
        assertEquals(0, build.exitCode(), build.err());
        assertEquals(0, CliRun.of("key", "generate", "--output", work.resolve("team").toString()).exitCode());
        assertEquals(0, CliRun.of("key", "generate", "--output", work.resolve("stranger").toString()).exitCode());
        CliRun push = CliRun.of("push", program, "--sign", work.resolve("team.key").toString(), "--storage", store.toString());
        assertEquals(0, push.exitCode(), push.err());
    }

    @AfterAll
    static void cleanUp() throws IOException {
        for (RegistryServer r : new RegistryServer[]{registry, programs}) {
            if (r != null) {
                r.close();
            }
        }
        TestFiles.deleteTree(work);
    }

    private static BeeProcess bee(String... args) {
        BeeProcess p = BeeProcess.start(Map.of("BEE_HOME", work.resolve("home").toString()), args);
        p.waitFor(TIMEOUT);
        return p;
    }

    private static BeeProcess pack(String image, String key, String... more) {
        List<String> args = new ArrayList<>(List.of("package", program, image, "--base", base, "--plain-http",
                "--storage", store.toString(), "--verify-key", work.resolve(key + ".pub").toString()));
        args.addAll(List.of(more));
        return bee(args.toArray(String[]::new));
    }

    /** Runs the container's entrypoint with {@code --duration 0} (load, attach, detach); its exit code and stderr. */
    private static String runContainer(ContainerRootfs rootfs, int expectedExit) throws Exception {
        Path out = work.resolve("out-" + System.nanoTime());
        Path err = work.resolve("err-" + System.nanoTime());
        Process run = rootfs.start(CAPS, List.of("--duration", "0"), out, err);
        if (!run.waitFor(120, TimeUnit.SECONDS)) {
            run.destroyForcibly().waitFor();
        }
        String stderr = Files.readString(err);
        assertEquals(expectedExit, run.exitValue(), stderr);
        return stderr;
    }

    @Test
    void theContainerChecksItsProgramOfflineAndRefusesAnAlteredKey() throws Exception {
        // Another key: refused before anything is built or pushed.
        String refusedImage = registry.host() + "/probes/opensnoop-pod:stranger";
        BeeProcess refused = pack(refusedImage, "stranger", "--bake-trust");
        assertEquals(11, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("none of its 1 signature is by " + work.resolve("stranger.pub")), refused.err());
        assertFalse(refused.err().contains("bee: packaged"), refused.err());
        assertEquals(null, CosignSpec.get(registry.host(), "/v2/probes/opensnoop-pod/manifests/stranger",
                "application/vnd.oci.image.manifest.v1+json"), "nothing was pushed");

        String image = registry.host() + "/probes/opensnoop-pod:trusted";
        BeeProcess packed = pack(image, "team", "--bake-trust", "-o", "json");
        assertEquals(0, packed.exitCode(), packed.err());
        JsonNode result = Json.mapper().readTree(packed.out());
        List<String> entrypoint = new ArrayList<>();
        result.get("entrypoint").forEach(a -> entrypoint.add(a.asText()));
        int run = entrypoint.indexOf("run");
        assertEquals(List.of("run", "--no-tty", "--verify-key", "/var/lib/bee/trust/keys/verify-0.pub", program),
                entrypoint.subList(run, run + 5), entrypoint.toString());

        // From here on the eBPF image's registry is gone: the node has only what the container holds.
        programs.close();
        Path layout = work.resolve("pulled");
        RegistryServer.exec(List.of("skopeo", "copy", "-q", "--src-tls-verify=false", "docker://" + image,
                "oci:" + layout + ":pod"));
        try (ContainerRootfs rootfs = ContainerRootfs.unpack(layout, "pod", work.resolve("rootfs"))) {
            Path home = rootfs.root().resolve("var/lib/bee");
            assertTrue(Files.isRegularFile(home.resolve("trust/keys/verify-0.pub")));
            assertEquals(Files.readString(work.resolve("team.pub")), Files.readString(home.resolve("trust/keys/verify-0.pub")));
            assertTrue(Files.isRegularFile(home.resolve("signatures/index.json")));

            String ok = runContainer(rootfs, 0);
            assertTrue(ok.contains("bee: running "), ok);

            // Another key in the container's place: the check fails there, before any load.
            Files.copy(work.resolve("stranger.pub"), home.resolve("trust/keys/verify-0.pub"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            String bad = runContainer(rootfs, 11);
            assertTrue(bad.contains("bee: error: refused " + programs.host() + "/probes/opensnoop@sha256:"), bad);
            assertTrue(bad.contains("none of its 1 signature is by /var/lib/bee/trust/keys/verify-0.pub"), bad);
            assertFalse(bad.contains("bee: running "), bad);
        }
    }
}
