package dev.bee.core.testing;

import dev.bee.core.build.ClangCompiler;
import dev.bee.core.build.CompileRequest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test-only eBPF programs in a module's {@code src/test/resources/objects}, compiled by bee (clang, the
 * kernel's vmlinux.h) once per test JVM into {@code target/test-objects}.
 */
public final class TestPrograms {
    private static final Map<String, Path> BUILT = new ConcurrentHashMap<>();

    private TestPrograms() {
    }

    /** {@code src/test/resources/objects/NAME.c} of the module the tests run in, compiled. */
    public static Path object(String name) {
        Requirements.requireTool("clang");
        Requirements.requireKernelBtf();
        return BUILT.computeIfAbsent(name, n -> {
            Path src = Path.of("src", "test", "resources", "objects", n + ".c").toAbsolutePath();
            Path out = Path.of("target", "test-objects", n + ".o").toAbsolutePath();
            new ClangCompiler(Examples.cacheRoot(), msg -> { }, System.err::println)
                    .compile(new CompileRequest(src, out, List.of(), null, null));
            return out;
        });
    }
}
