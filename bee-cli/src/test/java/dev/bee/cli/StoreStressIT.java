package dev.bee.cli;

import dev.bee.core.testing.Examples;
import dev.bee.core.testing.Requirements;
import dev.bee.core.testing.StoreValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several bee processes build, tag and remove images of one program in one store at once: every build
 * reuses the blobs another process's removal is collecting. Afterwards every name left reaches whole,
 * matching blobs, and no staging folder is left behind.
 */
class StoreStressIT {
    @Test
    void concurrentProcessesLeaveASoundStore(@TempDir Path tmp) throws Exception {
        Path jar = Path.of("target", "bee.jar").toAbsolutePath();
        Requirements.require(Files.isRegularFile(jar), "bee.jar is built by mvn package");
        Requirements.requireTool("clang");
        Path object = Examples.object("opensnoop");
        Path store = tmp.resolve("store");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String bee = java + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar " + jar + " --storage " + store;
        List<Process> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            // The object's bytes as an image under a name of this worker's: the same blobs for everyone.
            String script = "for i in 1 2 3 4 5; do "
                    + bee + " build " + Examples.source("opensnoop") + " p" + w + ":$i -o " + tmp.resolve("o" + w + ".o")
                    + " >/dev/null 2>&1; "
                    + bee + " tag p" + w + ":$i q" + w + ":$i >/dev/null 2>&1; "
                    + bee + " rmi p" + w + ":$i >/dev/null 2>&1; "
                    + "if [ $((i % 2)) = 0 ]; then " + bee + " rmi q" + w + ":$i >/dev/null 2>&1; fi; done";
            workers.add(new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start());
        }
        for (Process p : workers) {
            assertTrue(p.waitFor(240, TimeUnit.SECONDS), "a worker did not finish");
        }
        assertTrue(Files.isRegularFile(object));
        assertEquals(List.of(), StoreValidator.problems(store));
        CliRun list = CliRun.of("list", "--storage", store.toString(), "-o", "json");
        assertEquals(0, list.exitCode(), list.err());
        assertTrue(list.out().contains("q0:1") || list.out().contains("q1:1") || list.out().contains("q2:1")
                || list.out().contains("q3:1"), "some tagged images are left to check: " + list.out());
    }
}
