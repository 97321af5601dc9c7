package dev.bee.cli;

import dev.bee.core.image.MediaTypes;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.RegistryServer;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static dev.bee.cli.RawRegistry.descriptor;
import static dev.bee.cli.RawRegistry.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Text that others control reaches the operator's terminal only as visible escapes: a file name and a
 * process name holding escape sequences, seen by a real program on the real kernel, in `bee run`'s text
 * lines; annotations of an image from a real registry in `bee describe`; a reference quoted in an error.
 */
class EscapedTextIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Clear the screen, set the window title, ring the bell. */
    private static final String HOSTILE = "\u001b[2J\u001b]0;pwned\u0007";
    private static final String SHOWN = "\\x1b[2J\\x1b]0;pwned\\x07";

    @TempDir
    Path tmp;

    private static void assertNoControls(String text) {
        assertTrue(text.chars().noneMatch(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0x7f),
                "a control character reached the output:\n" + text);
    }

    @Test
    void fileAndProcessNamesWithEscapesAreShownEscapedInTextLines() throws Exception {
        Requirements.requireRoot();
        Path obj = Examples.object("opensnoop");
        String tag = "bee-esc-" + UUID.randomUUID().toString().substring(0, 6);
        Path file = Files.writeString(tmp.resolve(tag + HOSTILE), "x");
        Path cat = Files.createSymbolicLink(tmp.resolve("c\u001b[2J"), Path.of("/bin/cat"));
        try (BeeProcess bee = BeeProcess.start("run", obj.toString(), "--no-tty", "--duration", "30s",
                "--prom-port", "0", "--filter", "print_opens,filename," + tag, "--max-events", "1")) {
            bee.awaitAttached(TIMEOUT);
            Process p = new ProcessBuilder(cat.toString(), file.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertEquals(0, p.waitFor());
            assertEquals(0, bee.waitFor(TIMEOUT), bee.err());
            String out = bee.out();
            assertNoControls(out);
            assertTrue(out.contains(tag + SHOWN), out);
            assertTrue(out.contains("c\\x1b[2J"), "the comm, escaped:\n" + out);
            assertNoControls(bee.err());
        }
    }

    @Test
    void describeShowsAnnotationsFromARegistryEscaped() throws Exception {
        Requirements.requireRoot();
        byte[] elf = Files.readAllBytes(Examples.object("opensnoop"));
        try (RegistryServer registry = RegistryServer.start()) {
            RawRegistry raw = new RawRegistry(registry.host());
            String repo = "hostile/annotations";
            byte[] config = utf8("{}");
            raw.blob(repo, config);
            raw.blob(repo, elf);
            // Up a line, erase it, and write a line of bee's own look.
            String forged = "fine\\u001b[1A\\u001b[2K\\rFAKE: verified by bee\\n\\u009b2J";
            byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                    + descriptor(MediaTypes.EBPF_CONFIG, config, null) + ",\"layers\":["
                    + descriptor(MediaTypes.EBPF_PROGRAM, elf, null) + "],\"annotations\":{\"org.opencontainers.image"
                    + ".description\":\"" + forged + "\",\"x\\u001b]0;t\\u0007\":\"1\"}}");
            raw.manifest(repo, "v1", MediaTypes.OCI_MANIFEST, manifest);
            String ref = registry.host() + "/" + repo + ":v1";
            Path store = tmp.resolve("store");
            try (BeeProcess pull = BeeProcess.start("pull", ref, "--plain-http", "--storage", store.toString())) {
                assertEquals(0, pull.waitFor(TIMEOUT), pull.err());
            }
            try (BeeProcess describe = BeeProcess.start("describe", ref, "--storage", store.toString())) {
                assertEquals(0, describe.waitFor(TIMEOUT), describe.err());
                String out = describe.out();
                assertNoControls(out);
                assertFalse(out.contains("\u009b"), out);
                assertTrue(out.contains("annotation org.opencontainers.image.description: "
                        + "fine\\x1b[1A\\x1b[2K\\x0dFAKE: verified by bee\\x0a\\u009b2J\n"), out);
                assertTrue(out.contains("annotation x\\x1b]0;t\\x07: 1\n"), out);
                assertFalse(out.lines().anyMatch(l -> l.startsWith("FAKE")), "no line of its own:\n" + out);
            }
        }
    }

    @Test
    void anErrorQuotingHostileInputShowsItEscaped() {
        try (BeeProcess describe = BeeProcess.start("describe", tmp.resolve("no" + HOSTILE + ".o").toString())) {
            assertTrue(describe.waitFor(TIMEOUT) != 0);
            String err = describe.err();
            assertNoControls(err);
            assertTrue(err.contains("no" + SHOWN + ".o"), err);
        }
    }
}
