package dev.bee.cli;

import dev.bee.core.ErrorKind;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.RegistryServer;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command that writes, made to fail writing three ways (issue 19 item 10): a read-only bind
 * mount, a tiny tmpfs filled to ENOSPC, and a path whose parent is a file. Each gives exit 10 with one
 * "cannot write PATH: REASON" line and a hint, never 9 (a missing tool), 3, 2 or 6.
 */
class WriteFailuresIT {
    private static final String USER = "writer";
    private static final String PASSWORD = "wr1te-Fails";
    private static RegistryServer open;
    private static RegistryServer auth;
    private static String image;

    @TempDir
    Path tmp;

    private final List<Path> mounts = new ArrayList<>();
    /** Where writes fail, by how: each holds a store with one image ({@code tagme:v1}) where it can. */
    private final Map<String, Path> places = new LinkedHashMap<>();

    @BeforeAll
    static void registries(@TempDir Path work) {
        Requirements.requireRoot();
        open = RegistryServer.start();
        auth = RegistryServer.start(USER, PASSWORD);
        image = open.host() + "/writes/probe:v1";
        Path store = work.resolve("store");
        CliRun build = CliRun.of("build", Examples.source("opensnoop").toString(), image, "-o",
                work.resolve("p.o").toString(), "--storage", store.toString());
        assertEquals(0, build.exitCode(), build.err());
        CliRun push = CliRun.of("push", image, "--storage", store.toString());
        assertEquals(0, push.exitCode(), push.err());
    }

    @AfterAll
    static void stopRegistries() {
        for (RegistryServer r : new RegistryServer[]{open, auth}) {
            if (r != null) {
                r.close();
            }
        }
    }

    @BeforeEach
    void places() throws Exception {
        Path ro = Files.createDirectories(tmp.resolve("ro"));
        storeWithImage(ro.resolve("store"));
        Examples.exec("mount", "--bind", ro.toString(), ro.toString());
        mounts.add(ro);
        Examples.exec("mount", "-o", "remount,bind,ro", ro.toString());
        places.put("read-only", ro);

        Path full = Files.createDirectories(tmp.resolve("full"));
        Examples.exec("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", full.toString());
        mounts.add(full);
        storeWithImage(full.resolve("store"));
        fill(full.resolve("filler"));
        places.put("full", full);

        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        places.put("not a folder", file.resolve("sub"));
    }

    @AfterEach
    void unmount() {
        for (Path m : mounts) {
            Examples.exec("umount", m.toString());
        }
    }

    private static void storeWithImage(Path store) {
        CliRun build = CliRun.of("build", Examples.source("opensnoop").toString(), "tagme:v1",
                "-o", store.resolveSibling("p.o").toString(), "--storage", store.toString());
        assertEquals(0, build.exitCode(), build.err());
    }

    /** Fills the file system to the last page (tmpfs allocates pages), so that any new file's data fails. */
    private static void fill(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int chunk : new int[]{1 << 16, 1 << 12, 1}) {
                byte[] b = new byte[chunk];
                try {
                    while (true) {
                        out.write(b);
                    }
                } catch (IOException e) {
                    assertTrue(String.valueOf(e.getMessage()).contains("No space left"), e.toString());
                }
            }
        }
    }

    /** Runs {@code command} (given the place) in each place and expects one write error there. */
    private void failsToWrite(String what, Function<Path, String[]> command) {
        for (Map.Entry<String, Path> p : places.entrySet()) {
            CliRun r = CliRun.of(command.apply(p.getValue()));
            String where = what + " where the file system is " + p.getKey() + ": " + r.err();
            assertEquals(ErrorKind.WRITE.exitCode(), r.exitCode(), where);
            List<String> errors = r.err().lines().filter(l -> l.startsWith("bee: error:")).toList();
            assertEquals(1, errors.size(), where);
            assertTrue(errors.get(0).startsWith("bee: error: cannot write "), where);
            assertTrue(errors.get(0).endsWith(switch (p.getKey()) {
                case "read-only" -> ": Read-only file system";
                case "full" -> ": No space left on device";
                default -> ": a part of the path is a file, not a folder";
            }), where);
            assertTrue(r.err().contains("\nhint: "), where);
        }
    }

    @Test
    void build() {
        failsToWrite("build -o", d -> new String[]{"build", Examples.source("opensnoop").toString(), "-o",
                d.resolve("out.o").toString()});
        failsToWrite("build into a store", d -> new String[]{"build", Examples.source("opensnoop").toString(),
                "other:v1", "-o", tmp.resolve("elsewhere.o").toString(), "--storage", d.resolve("store").toString()});
    }

    @Test
    void init() {
        failsToWrite("init", d -> new String[]{"init", "--program-type", "process", "--map", "ringbuf", "--output",
                "print", "--file", d.resolve("new.c").toString()});
    }

    @Test
    void tag() {
        places.remove("not a folder"); // no store there to tag in: a read, not a write, fails
        failsToWrite("tag", d -> new String[]{"tag", "tagme:v1", "tagged:v2", "--storage", d.resolve("store").toString()});
    }

    @Test
    void login() {
        failsToWrite("login", d -> new String[]{"login", auth.host(), "-u", USER, "-p", PASSWORD, "--config",
                d.resolve("config.json").toString()});
    }

    @Test
    void pull() {
        failsToWrite("pull", d -> new String[]{"pull", image, "--plain-http", "--storage",
                d.resolve("pulled").toString()});
    }

    @Test
    void readyFile() {
        Path obj = TestObjects.object("lifecycle");
        failsToWrite("--ready-file", d -> new String[]{"run", obj.toString(), "--duration", "1", "--prom-port", "0",
                "-o", "json", "--ready-file", d.resolve("ready.json").toString()});
        assertFalse(Files.exists(tmp.resolve("ready.json")));
    }
}
