package dev.bee.cli;

import dev.bee.core.testing.Examples;
import dev.bee.core.testing.RegistryServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Files bee writes take the mode the umask gives any new file (issue 19 item 11: init's source was
 * 0600 while build's object was 0644), except credentials, which stay 0600 whatever the umask.
 * bee runs as a process under a known umask, through sh.
 */
class FileModesIT {
    private static final String USER = "modes";
    private static final String PASSWORD = "m0des-Pass";

    @TempDir
    Path tmp;

    private BeeProcess bee(String umask, String... args) {
        BeeProcess p = BeeProcess.startAs(List.of("sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"),
                Path.of("target", "bee.jar").toAbsolutePath(), tmp, Map.of(), args);
        p.waitFor(Duration.ofSeconds(120));
        assertEquals(0, p.exitCode(), String.join(" ", args) + ": " + p.err());
        return p;
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void initBuildStoreAndLoginFollowTheUmask() throws Exception {
        try (RegistryServer registry = RegistryServer.start(USER, PASSWORD)) {
            for (String[] c : new String[][]{{"002", "rw-rw-r--"}, {"027", "rw-r-----"}}) {
                Path dir = Files.createDirectories(tmp.resolve("u" + c[0]));
                Path src = dir.resolve("p.c");
                bee(c[0], "init", "--program-type", "process", "--map", "ringbuf", "--output", "print",
                        "--file", src.toString()).close();
                bee(c[0], "build", Examples.source("opensnoop").toString(), "modes:v1", "-o", dir.resolve("p.o").toString(),
                        "--storage", dir.resolve("store").toString()).close();
                bee(c[0], "login", registry.host(), "-u", USER, "-p", PASSWORD, "--config",
                        dir.resolve("auth.json").toString()).close();
                assertEquals(c[1], mode(src), "init's source under umask " + c[0]);
                assertEquals(c[1], mode(dir.resolve("p.o")), "build's object under umask " + c[0]);
                assertEquals(c[1], mode(dir.resolve("store/index.json")), "the store's index under umask " + c[0]);
                try (Stream<Path> blobs = Files.list(dir.resolve("store/blobs/sha256"))) {
                    for (Path b : blobs.toList()) {
                        assertEquals(c[1], mode(b), "a blob under umask " + c[0]);
                    }
                }
                assertEquals("rw-------", mode(dir.resolve("auth.json")), "credentials stay private");
            }
        }
    }
}
