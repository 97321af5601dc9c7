package dev.bee.core.object;

import dev.bee.core.build.ClangCompiler;
import dev.bee.core.build.CompileRequest;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Objects with {@code .maps.<kind>} sections become objects libbpf 1.x opens and loads. */
class LegacyMapNormalizerIT {
    @TempDir
    Path tmp;

    @Test
    void talkStyleObjectMergesIntoMaps() throws Exception {
        BpfObject original = ObjectReader.read(Examples.object("tcpconnect_kprobe"));
        byte[] fixed = LegacyMapNormalizer.normalize(original);
        BpfObject normalized = ObjectReader.read("normalized.o", fixed);
        assertEquals(List.of(".maps", ".maps"), normalized.maps().stream().map(MapSpec::section).toList());
        assertEquals(maps(original), maps(normalized));
        assertEquals(original.programs(), normalized.programs());
        assertLibbpfLoads(fixed, original.bytes());
    }

    @Test
    void objectWithOnlyLegacySectionsGetsAMapsSection() throws Exception {
        Path src = Path.of(getClass().getResource("/objects/legacy_only.c").toURI());
        Path out = tmp.resolve("legacy_only.o");
        new ClangCompiler(Examples.cacheRoot(), m -> { }, System.err::println)
                .compile(new CompileRequest(src, out, List.of(), null, null));
        BpfObject original = ObjectReader.read(out);
        assertEquals(OutputKind.PRINT, original.map("events").orElseThrow().output());
        assertEquals(OutputKind.COUNTER, original.map("execs").orElseThrow().output());
        byte[] fixed = LegacyMapNormalizer.normalize(original);
        BpfObject normalized = ObjectReader.read("normalized.o", fixed);
        assertEquals(maps(original), maps(normalized));
        assertTrue(normalized.maps().stream().allMatch(m -> m.section().equals(".maps")));
        assertLibbpfLoads(fixed, original.bytes());
    }

    @Test
    void modernObjectsPassUnchanged() {
        BpfObject o = ObjectReader.read(Examples.object("tcpconnect"));
        assertSame(o.bytes(), LegacyMapNormalizer.normalize(o));
    }

    private static List<String> maps(BpfObject o) {
        return o.maps().stream().map(m -> m.name() + " " + m.type() + " " + m.keySize() + " " + m.valueSize()
                + " " + m.maxEntries() + " " + m.keyType() + " " + m.valueType()).toList();
    }

    /** libbpf (through bpftool) refuses the original with "bad map relo" and loads the normalized one. */
    private void assertLibbpfLoads(byte[] fixed, byte[] original) throws Exception {
        Requirements.requireRoot();
        Path bpftool = Requirements.requireTool("bpftool");
        Requirements.require(Files.isDirectory(Path.of("/sys/fs/bpf")) && isBpffs(), "bpffs is not mounted at /sys/fs/bpf");
        Path orig = tmp.resolve("orig.o");
        Path norm = tmp.resolve("norm.o");
        Files.write(orig, original);
        Files.write(norm, fixed);
        Path pin = Path.of("/sys/fs/bpf", "bee-legacy-test-" + ProcessHandle.current().pid());
        try {
            Result before = run(bpftool.toString(), "prog", "loadall", orig.toString(), pin.toString());
            assertTrue(before.code != 0 && before.out.contains("bad map relo"), before.out);
            Result after = run(bpftool.toString(), "prog", "loadall", norm.toString(), pin.toString());
            assertEquals(0, after.code, after.out);
        } finally {
            run("rm", "-rf", pin.toString());
        }
    }

    private static boolean isBpffs() throws Exception {
        return Files.readAllLines(Path.of("/proc/mounts")).stream().anyMatch(l -> l.contains(" /sys/fs/bpf bpf "));
    }

    private record Result(int code, String out) {
    }

    private static Result run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out);
    }
}
