package dev.bee.core.build;

import dev.bee.core.object.BpfObject;

import java.nio.file.Path;

/** A finished build: the object written, what it contains, and the facts an image config records. */
public record CompileResult(Path output, BpfObject object, String clangVersion, String sourceDigest) {
}
