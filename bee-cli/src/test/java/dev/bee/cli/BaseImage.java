package dev.bee.cli;

import dev.bee.core.testing.Examples;
import dev.bee.core.testing.RegistryServer;
import dev.bee.core.testing.Requirements;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A base image for bee package made from this JVM's runtime and the machine's libbpf, in a real registry. */
final class BaseImage {
    private BaseImage() {
    }

    /**
     * What a test that packages opensnoop onto this base and runs it needs: root, the kernel's BTF, clang,
     * skopeo, docker-registry and tracefs, and {@code moreTools} (how the test runs the image).
     */
    static void requirements(String... moreTools) {
        Requirements.requireRoot();
        Requirements.requireKernelBtf();
        for (String tool : List.of("clang", "skopeo", "docker-registry")) {
            Requirements.requireTool(tool);
        }
        for (String tool : moreTools) {
            Requirements.requireTool(tool);
        }
        Requirements.require(Files.isRegularFile(Path.of("/sys/kernel/tracing/trace_pipe")),
                "needs tracefs mounted at /sys/kernel/tracing (scripts/setup-machine.sh)");
    }

    /**
     * Makes the base as {@code scripts/base-image.sh --host} does, in {@code work/base}, copies it into
     * {@code registry} with skopeo and returns its reference.
     */
    static String pushTo(RegistryServer registry, Path work) throws Exception {
        Path layout = work.resolve("base");
        ProcessBuilder pb = new ProcessBuilder(Examples.repoRoot().resolve("scripts/base-image.sh").toString(), "--host",
                "--tag", "base", layout.toString()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        String base = registry.host() + "/bee/base:17";
        RegistryServer.exec(List.of("skopeo", "copy", "-q", "--dest-tls-verify=false", "oci:" + layout + ":base",
                "docker://" + base));
        return base;
    }
}
