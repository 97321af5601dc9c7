package dev.bee.core.testing;

import dev.bee.core.build.ClangCompiler;
import dev.bee.core.build.CompileRequest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The programs in {@code bpf-examples/}, compiled by bee's own build once per test JVM into
 * {@code target/test-objects}. Tests that use them need clang and kernel BTF.
 */
public final class Examples {
    private static final Map<String, Path> BUILT = new ConcurrentHashMap<>();

    private Examples() {
    }

    /** The repository root (the folder holding bpf-examples/). */
    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("bpf-examples"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("bpf-examples/ not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** Every example's C source, e.g. {@code bpf-examples/tcpconnect/tcpconnect.c}. */
    public static List<Path> sources() {
        try (Stream<Path> s = Files.walk(repoRoot().resolve("bpf-examples"), 2)) {
            return s.filter(f -> f.toString().endsWith(".c")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path source(String name) {
        return sources().stream().filter(f -> f.getFileName().toString().equals(name + ".c")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no example " + name));
    }

    /** A cache folder for vmlinux.h and bee's headers shared by the tests of this module. */
    public static Path cacheRoot() {
        return Path.of("target", "bee-cache").toAbsolutePath();
    }

    /** The example {@code name} (file name without .c) compiled by bee; requires clang and kernel BTF. */
    public static Path object(String name) {
        Requirements.requireTool("clang");
        Requirements.requireKernelBtf();
        return BUILT.computeIfAbsent(name, n -> {
            Path out = Path.of("target", "test-objects", n + ".o").toAbsolutePath();
            new ClangCompiler(cacheRoot(), msg -> { }, System.err::println)
                    .compile(new CompileRequest(source(n), out, List.of(), null, null));
            return out;
        });
    }

    /** Names of all examples (file names without .c). */
    public static List<String> names() {
        return sources().stream().map(f -> f.getFileName().toString().replace(".c", "")).toList();
    }

    /** Runs a command and returns its stdout; fails the test on a non-zero exit. */
    public static String exec(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes());
            int rc = p.waitFor();
            if (rc != 0) {
                throw new AssertionError(String.join(" ", cmd) + " exited " + rc);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
