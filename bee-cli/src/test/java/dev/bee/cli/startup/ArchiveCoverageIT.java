package dev.bee.cli.startup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.io.Json;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.RegistryServer;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The class data sharing archives cover the commands: each command the start-up benchmark times
 * (scripts/bench-startup.sh) runs through the launcher, against the archive its training ({@link Training})
 * made on first use, with {@code -Xlog:class+load}. A class read from bee.jar is one the archive lacks, and
 * fails the test with its name: a command or dependency change the training no longer follows. What no
 * archive can hold (method handle forms, annotation proxies, jnr-ffi's generated binding, JFR event
 * classes) is defined at run time or read from the JDK, never from the jar; the JDK's own classes outside
 * the archives are listed but not counted against it.
 */
class ArchiveCoverageIT {
    private static final Path LAUNCHER = Path.of("target", "bee").toAbsolutePath();
    private static final Path TRAINING_C = Path.of("src", "main", "resources", "dev", "bee", "cli", "startup", "training.c");
    private static final Path TRAINING_O = TRAINING_C.resolveSibling("training.o");

    @TempDir
    static Path dir;
    private static RegistryServer registry;

    private record Result(int code, String out, String err) {
    }

    @BeforeAll
    static void requirements() {
        Requirements.require(Files.isExecutable(LAUNCHER), "the launcher is copied by mvn package");
        Requirements.requireRoot();
        Requirements.requireTool("clang");
        Requirements.requireKernelBtf();
        registry = RegistryServer.start();
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    /**
     * The launcher's own choice of JDK (the newest it finds), and the JDK running this build (here JDK 17, which
     * archives no Java 5 class file at all: bee.jar's rewritten picocli, ASM and x86asm are checked there).
     */
    static Stream<String> jdks() {
        String mine = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return Stream.of("", mine);
    }

    /** Runs the launcher with {@code env} on top of the JDK ({@code java}, or the launcher's pick) and bee's folders. */
    private static Result launch(String java, Map<String, String> env, List<String> args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("BEE_HOME", dir.resolve("home" + java.hashCode()).toString());
        pb.environment().put("BEE_STORAGE", dir.resolve("store").toString());
        pb.environment().remove("BEE_JAVA");
        if (!java.isEmpty()) {
            pb.environment().put("BEE_JAVA", java);
        }
        pb.environment().remove("BEE_JAVA_OPTS");
        pb.environment().remove("BEE_CDS");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int code = p.waitFor();
        return new Result(code, Files.readString(out), Files.readString(err));
    }

    /** Runs {@code args} against its archive and returns the classes that did not come from an archive. */
    private static Loaded loaded(String java, String name, List<String> args) throws IOException, InterruptedException {
        Path log = dir.resolve("class-load-" + name + java.hashCode() + ".txt");
        Result r = launch(java, Map.of("BEE_JAVA_OPTS", "-Xlog:class+load=info:file=" + log), args);
        assertEquals(0, r.code(), name + ": " + r.err());
        List<String> fromJar = new ArrayList<>();
        List<String> fromJdk = new ArrayList<>();
        int archived = 0;
        for (String line : Files.readAllLines(log)) {
            int at = line.indexOf(" source: ");
            if (at < 0) {
                continue;
            }
            String source = line.substring(at + 9);
            String cls = line.substring(line.lastIndexOf(' ', at - 1) + 1, at);
            if (source.startsWith("shared objects file")) {
                archived++;
            } else if (source.startsWith("file:") || source.startsWith("jar:")) {
                fromJar.add(cls);
            } else if (source.startsWith("jrt:")) {
                fromJdk.add(cls);
            }
        }
        return new Loaded(name, archived, fromJar, fromJdk);
    }

    private record Loaded(String name, int archived, List<String> fromJar, List<String> fromJdk) {
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void everyBenchmarkedCommandLoadsBeeJarsClassesFromItsArchive(String java) throws Exception {
        Path opensnoop = Examples.object("opensnoop");
        Path execsnoop = Examples.object("execsnoop");
        String image = registry.host() + "/coverage/opensnoop:v1";

        // The first command of each archive makes it; under -v the launcher shows what its training could not do.
        Result first = launch(java, Map.of(), List.of("-v", "build", Examples.source("opensnoop").toString(), image,
                "-o", dir.resolve("built.o").toString()));
        assertEquals(0, first.code(), first.err());
        assertFalse(first.err().contains("bee " + Training.COMMAND), first.err());
        Result firstRun = launch(java, Map.of(), List.of("-v", "run", execsnoop.toString(), "--duration", "0", "--no-tty",
                "--prom-port", "0"));
        assertEquals(0, firstRun.code(), firstRun.err());
        assertFalse(firstRun.err().contains("bee " + Training.COMMAND), firstRun.err());
        try (Stream<Path> s = Files.list(dir.resolve("home" + java.hashCode()).resolve("cache"))) {
            assertEquals(2, s.filter(p -> p.toString().endsWith(".jsa")).count(), "an archive for run, one for the rest");
        }

        List<Loaded> all = new ArrayList<>();
        all.add(loaded(java, "help", List.of("--help")));
        all.add(loaded(java, "version", List.of("--version")));
        all.add(loaded(java, "describe", List.of("describe", opensnoop.toString())));
        all.add(loaded(java, "list", List.of("list")));
        all.add(loaded(java, "tag", List.of("tag", image, "coverage/tagged:v1")));
        all.add(loaded(java, "rmi", List.of("rmi", "coverage/tagged:v1")));
        all.add(loaded(java, "build", List.of("build", Examples.source("opensnoop").toString(), "-o", dir.resolve("b.o").toString())));
        all.add(loaded(java, "push", List.of("push", "--plain-http", image)));
        assertEquals(0, launch(java, Map.of(), List.of("rmi", image)).code());
        all.add(loaded(java, "pull", List.of("pull", "--plain-http", image)));
        all.add(loaded(java, "run", List.of("run", execsnoop.toString(), "--duration", "0", "--no-tty", "--prom-port", "0")));
        // The first event: execs keep coming while the run starts.
        Thread execs = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    new ProcessBuilder("/bin/true").start().waitFor();
                    Thread.sleep(10);
                }
            } catch (IOException | InterruptedException e) {
                // done
            }
        });
        execs.setDaemon(true);
        execs.start();
        try {
            all.add(loaded(java, "first-event", List.of("run", execsnoop.toString(), "--max-events", "1", "--duration", "10s",
                    "-o", "json", "--no-tty", "--prom-port", "0")));
        } finally {
            execs.interrupt();
        }

        StringBuilder report = new StringBuilder();
        for (Loaded l : all) {
            System.out.printf((java.isEmpty() ? "launcher's JDK " : java + " ") + "%-12s %5d from the archives, %d from bee.jar, %d JDK classes outside them %s%n",
                    l.name(), l.archived(), l.fromJar().size(), l.fromJdk().size(), l.fromJdk());
            assertTrue(l.archived() > 1000, l.name() + " used no archive: " + l.archived());
            if (!l.fromJar().isEmpty()) {
                report.append("\n  ").append(l.name()).append(": ").append(l.fromJar());
            }
        }
        assertEquals("", report.toString(), "classes read from bee.jar, not from the archive (the training no longer "
                + "does what these commands do: dev.bee.cli.startup.Training)");
    }

    /** The shipped training.o is training.c built by bee (so whoever edits one rebuilds the other). */
    @Test
    void theShippedProgramIsTrainingC() throws Exception {
        Path built = dir.resolve("training-built.o");
        Result b = launch("", Map.of(), List.of("build", TRAINING_C.toAbsolutePath().toString(), "-o", built.toString()));
        assertEquals(0, b.code(), b.err());
        assertEquals(shape(built), shape(TRAINING_O.toAbsolutePath()));
    }

    /** What describe says of an object, without what depends on the clang that built it (instruction counts). */
    private static String shape(Path object) throws Exception {
        Result r = launch("", Map.of(), List.of("describe", "-o", "json", object.toString()));
        assertEquals(0, r.code(), r.err());
        JsonNode tree = Json.mapper().readTree(r.out());
        StringBuilder sb = new StringBuilder();
        for (JsonNode p : tree.get("programs")) {
            sb.append("program ").append(p.get("name")).append(p.get("section")).append(p.get("type")).append('\n');
        }
        for (JsonNode m : tree.get("maps")) {
            sb.append("map ").append(m.get("name")).append(m.get("type")).append(m.get("keyType"))
                    .append(m.get("valueType")).append(m.get("maxEntries")).append(m.get("output")).append('\n');
        }
        for (JsonNode g : tree.path("globals")) {
            sb.append("global ").append(g.get("name")).append(g.get("type")).append('\n');
        }
        return sb.toString();
    }
}
