package dev.bee.cli.startup;

import dev.bee.cli.Main;
import dev.bee.core.BeeHome;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.ImageBuilder;
import dev.bee.core.image.ImageLayout;
import dev.bee.core.image.ImageStore;
import dev.bee.core.image.Platform;
import dev.bee.core.object.ObjectReader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run of bee's class data sharing archives: {@code bee cds-training} for the archive of
 * every command but {@code run} and {@code verify}, {@code bee cds-training run} for theirs (an archive is
 * resident in whole, and a streaming agent's memory counts). The launcher runs it once per jar and JDK, in
 * a JVM of its own that writes the archive at exit ({@code -XX:ArchiveClassesAtExit}), so that a training
 * that fails, or an archive that cannot be written, never touches a user's command.
 *
 * <p>It runs bee's own commands as a user runs them, through {@link Main#run}, on a temporary store and
 * config folder, a registry on loopback ({@link TrainingRegistry}) and a small program shipped in bee.jar
 * ({@code training.c}, built as {@code training.o}): what they load, bee's classes, the libraries', the
 * JDK's and the lambdas they spin, is what goes in the archive, so it follows the commands as they change.
 * {@code ArchiveCoverageIT} runs each command against its archive and fails when a class comes from
 * elsewhere.
 *
 * <p>A step that needs what this machine lacks (root for a run, clang for a build: exit codes 8 and 9) is
 * skipped; one that fails otherwise is a failure. Both are listed on stderr, which the launcher shows under
 * {@code -v}; the exit code is {@link #STEPS_FAILED} when a step failed (the archive of the rest is still
 * made and kept).
 */
public final class Training {
    public static final String COMMAND = "cds-training";
    /** The exit code when a step failed; 0 when none did. */
    public static final int STEPS_FAILED = 3;

    private final Path dir;
    private final List<String> global;
    private final PrintStream report;
    private int failed;

    private Training(Path dir, PrintStream report) {
        this.dir = dir;
        this.global = List.of("--config-dir", dir.resolve("home").toString(), "--storage", dir.resolve("store").toString());
        this.report = report;
    }

    /** {@code args}: {@code cds-training}, and {@code run} for run's archive. */
    public static int run(String... args) throws IOException {
        boolean forRun = args.length > 1 && args[1].equals("run");
        Path dir = Files.createTempDirectory("bee-cds-training-");
        try {
            Training t = new Training(dir, System.err);
            if (forRun) {
                t.runCommand();
            } else {
                t.otherCommands();
            }
            return t.failed == 0 ? 0 : STEPS_FAILED;
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private void otherCommands() throws IOException {
        Path object = shipped("training.o");
        Path source = shipped("training.c");
        step(false, "--help");
        step(false, "--version");
        step(false, "version");
        // In the user's own cache, as their first build would (vmlinux.h, its precompiled form, clang's version):
        // made here in a temporary folder, they would be made again on every training.
        step(false, "build", source.toString(), "-o", dir.resolve("built.o").toString());
        step(true, "describe", object.toString());
        try (TrainingRegistry registry = new TrainingRegistry()) {
            String image = "127.0.0.1:" + registry.port() + "/training/image:v1";
            // What `bee build PROG.c REF` stores, from the shipped object (no clang needed).
            ImageStore store = new ImageStore(dir.resolve("store"));
            ImageBuilder.store(store, image, ImageLayout.BEE.build(ObjectReader.read(object), null, Platform.host(),
                    Map.of()), Platform.host());
            step(true, "tag", image, "training/other:v1");
            step(true, "list");
            step(true, "list", "-o", "json");
            step(true, "describe", image);
            step(true, "push", image); // over plain HTTP, found by the TLS probe as for any loopback registry
            step(true, "rmi", "training/other:v1");
            step(true, "rmi", image);
            step(true, "pull", "--plain-http", image);
            step(true, "rmi", image);
        }
    }

    /**
     * What {@code run} and {@code verify} load (they share an archive): a verification, a run that loads,
     * attaches and detaches, then one that shows an event as JSON with the metrics endpoint on, given by
     * execs in the meantime.
     */
    private void runCommand() throws IOException {
        Path object = shipped("training.o");
        step(true, "verify", object.toString());
        step(true, "run", object.toString(), "--duration", "0", "--no-tty", "--prom-port", "0");
        Thread execs = new Thread(Training::execs, "bee-cds-training-execs");
        execs.setDaemon(true);
        execs.start();
        step(true, "run", object.toString(), "--max-events", "1", "--duration", "5s", "-o", "json",
                "--prom-address", "127.0.0.1", "--prom-port", String.valueOf(freePort()));
        execs.interrupt();
    }

    /** Execs until interrupted, each an event for the training program once it is attached. */
    private static void execs() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                new ProcessBuilder("/bin/true").start().waitFor();
                Thread.sleep(20);
            }
        } catch (IOException | InterruptedException e) {
            // no more events: the run ends at its --duration, and its step says what it saw
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The training resource {@code name}, copied to the temporary folder. */
    private Path shipped(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = Training.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("bee.jar lacks " + name + " for the training");
            }
            Files.copy(in, p);
        }
        return p;
    }

    /**
     * Runs bee with {@code args} (after the temporary store and config folder when {@code isolated}) with its
     * output thrown away, and reports a skip or failure with bee's error line.
     */
    private void step(boolean isolated, String... args) {
        if (!isolated) {
            System.clearProperty(BeeHome.PROPERTY); // set by an isolated step's --config-dir
        }
        List<String> line = new ArrayList<>(isolated ? global : List.of());
        line.addAll(List.of(args));
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
            code = Main.run(line.toArray(String[]::new));
        } catch (RuntimeException | LinkageError e) {
            code = ErrorKind.INTERNAL.exitCode();
            e.printStackTrace(System.err);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        if (code == 0) {
            return;
        }
        boolean skipped = code == ErrorKind.PERMISSION.exitCode() || code == ErrorKind.ENVIRONMENT.exitCode();
        if (!skipped) {
            failed++;
        }
        List<String> lines = said.toString(StandardCharsets.UTF_8).lines().toList();
        String why = lines.stream().filter(l -> l.startsWith("bee: error")).findFirst()
                .orElse(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
        report.println("bee " + COMMAND + ": " + (skipped ? "skipped" : "failed") + " 'bee " + String.join(" ", args)
                + "' (exit " + code + "): " + why);
    }
}
