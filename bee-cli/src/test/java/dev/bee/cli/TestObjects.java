package dev.bee.cli;

import dev.bee.core.testing.TestPrograms;

import java.nio.file.Path;

/** Test-only eBPF programs in src/test/resources/objects, compiled by bee once per test JVM. */
final class TestObjects {
    private TestObjects() {
    }

    static Path object(String name) {
        return TestPrograms.object(name);
    }
}
