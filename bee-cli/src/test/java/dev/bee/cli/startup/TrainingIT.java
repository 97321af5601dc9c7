package dev.bee.cli.startup;

import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training's verdicts, from bee.jar as the launcher runs it. What a machine lacks is a skip, said with
 * bee's own error and not a failure (a failure: LauncherIT; every step passing as root: ArchiveCoverageIT).
 */
class TrainingIT {
    private static final Path JAR = Path.of("target", "bee.jar").toAbsolutePath();

    @Test
    void withoutRootRunsAndVerifyAreSkippedWithTheReason(@TempDir Path dir) throws Exception {
        Requirements.require(Files.isRegularFile(JAR), "run after mvn package");
        Requirements.requireRoot();
        Requirements.requireTool("setpriv");
        Path home = Files.createDirectory(dir.resolve("home"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder("setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups",
                java, "-jar", JAR.toString(), Training.COMMAND, "run")
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("BEE_HOME", home.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        assertEquals(0, p.waitFor(), err);
        assertEquals("", out);
        List<String> lines = err.lines().toList();
        assertEquals(3, lines.size(), err);
        assertTrue(lines.get(0).matches("bee cds-training: skipped 'bee verify \\S+training\\.o' \\(exit 8\\): "
                + "bee: error: bee verify needs capabilities .*"), err);
        assertTrue(lines.stream().skip(1).allMatch(l -> l.matches(
                "bee cds-training: skipped 'bee run \\S+training\\.o .*' \\(exit 8\\): bee: error: bee run needs .*")), err);
        assertFalse(err.contains("failed"), err);
    }
}
