package dev.bee.core.build;

import dev.bee.core.object.BpfObject;

import java.nio.file.Path;
import java.util.List;

/**
 * A finished build: the object written, what it contains, the facts an image config records, and the
 * clang command that made the object (with {@code -include-pch} when it read vmlinux.h precompiled).
 */
public record CompileResult(Path output, BpfObject object, String clangVersion, String sourceDigest,
                            List<String> command) {
}
