package dev.bee.cli;

import dev.bee.core.build.ClangCompiler;
import dev.bee.core.build.CompileRequest;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.Requirements;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Test-only eBPF programs in src/test/resources/objects, compiled by bee once per test JVM. */
final class TestObjects {
    private static final Map<String, Path> BUILT = new ConcurrentHashMap<>();

    private TestObjects() {
    }

    static Path object(String name) {
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
