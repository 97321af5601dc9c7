package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.io.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * bee as a separate process (the shaded target/bee.jar that the package phase built, else this test
 * JVM's class path), with stdout and stderr captured in files; for runs that need signals or must
 * show that nothing stays in the kernel after the process ends.
 */
final class BeeProcess implements AutoCloseable {
    private final Process process;
    private final Path out;
    private final Path err;

    private BeeProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    static BeeProcess start(String... args) {
        return start(Map.of(), args);
    }

    /** Starts bee with {@code env} added to this JVM's environment. */
    static BeeProcess start(Map<String, String> env, String... args) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "bee-runs"));
            Path out = Files.createTempFile(dir, "out", ".txt");
            Path err = Files.createTempFile(dir, "err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command(args)).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            return new BeeProcess(p, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command line that runs bee with {@code args}: java on the shaded jar, else on this class path. */
    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xshare:auto");
        Path jar = Path.of("target", "bee.jar");
        if (Files.isRegularFile(jar)) {
            cmd.add("-jar");
            cmd.add(jar.toAbsolutePath().toString());
        } else {
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(Main.class.getName());
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * bee from {@code jar}, started through {@code launcher} (setpriv, say) in folder {@code dir} with
     * {@code env} added to the environment; for runs as another user, who must be able to read the jar.
     */
    static BeeProcess startAs(List<String> launcher, Path jar, Path dir, Map<String, String> env, String... args) {
        try {
            Path runs = Files.createDirectories(Path.of("target", "bee-runs"));
            Path out = Files.createTempFile(runs, "out", ".txt");
            Path err = Files.createTempFile(runs, "err", ".txt");
            List<String> cmd = new ArrayList<>(launcher);
            cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:-UsePerfData", "-jar", jar.toString()));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
            pb.environment().putAll(env);
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            return new BeeProcess(p, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs bee to the end (at most {@code timeout}) and returns its exit code. */
    static BeeProcess run(Duration timeout, String... args) {
        BeeProcess p = start(args);
        p.waitFor(timeout);
        return p;
    }

    long pid() {
        return process.pid();
    }

    /** Waits until stderr says the programs are attached (or bee ended); fails after {@code timeout}. */
    BeeProcess awaitAttached(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (err().contains("bee: running ")) {
                return this;
            }
            if (!process.isAlive()) {
                throw new AssertionError("bee ended before attaching (exit " + process.exitValue() + "):\n" + err());
            }
            sleep(50);
        }
        throw new AssertionError("bee did not attach within " + timeout + ":\n" + err());
    }

    int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("bee did not end within " + timeout + ":\n" + err());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** True while bee runs. */
    boolean exitCodeOrRunning() {
        return process.isAlive();
    }

    int exitCode() {
        return process.exitValue();
    }

    void signal(String name) {
        try {
            Process k = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (k.waitFor() != 0) {
                throw new AssertionError("kill -" + name + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    String out() {
        return read(out);
    }

    String err() {
        return read(err);
    }

    /** stdout as JSON Lines. */
    List<JsonNode> json() {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out().split("\n")) {
            if (!line.isBlank()) {
                try {
                    nodes.add(Json.mapper().readTree(line));
                } catch (IOException e) {
                    throw new AssertionError("not JSON: " + line, e);
                }
            }
        }
        return nodes;
    }

    /** The JSON records of {@code map}. */
    List<JsonNode> records(String map) {
        return json().stream().filter(n -> map.equals(n.path("map").asText())).toList();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
