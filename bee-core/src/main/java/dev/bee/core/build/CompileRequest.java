package dev.bee.core.build;

import java.nio.file.Path;
import java.util.List;

/**
 * What to compile and how: the C source, where the object goes, extra clang flags, and optional
 * overrides for the clang binary and the {@code vmlinux.h} to use (null: find clang on PATH,
 * generate the header from the running kernel's BTF).
 */
public record CompileRequest(Path source, Path output, List<String> cflags, Path clang, Path vmlinux) {
    public CompileRequest {
        cflags = cflags == null ? List.of() : List.copyOf(cflags);
    }

    /** BumbleBee's default output name: the source with {@code .o} instead of {@code .c}. */
    public static Path defaultOutput(Path source) {
        String name = source.getFileName().toString();
        String base = name.endsWith(".c") ? name.substring(0, name.length() - 2) : name;
        return source.resolveSibling(base + ".o");
    }
}
