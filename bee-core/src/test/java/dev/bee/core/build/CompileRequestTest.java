package dev.bee.core.build;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The object's default name beside the source, and the flags a request keeps. */
class CompileRequestTest {

    @Test
    void theDefaultOutputIsTheSourceWithDotO() {
        assertEquals(Path.of("probe.o"), CompileRequest.defaultOutput(Path.of("probe.c")));
        assertEquals(Path.of("/src/bpf/probe.o"), CompileRequest.defaultOutput(Path.of("/src/bpf/probe.c")));
        assertEquals(Path.of("a.c.o"), CompileRequest.defaultOutput(Path.of("a.c.c")), "only the last .c goes");
        assertEquals(Path.of("dir/probe.bpf.o"), CompileRequest.defaultOutput(Path.of("dir/probe.bpf")));
        assertEquals(Path.of("probe.C.o"), CompileRequest.defaultOutput(Path.of("probe.C")));
    }

    @Test
    void flagsAreCopiedAndNoneMeansEmpty() {
        assertEquals(List.of(), new CompileRequest(Path.of("p.c"), null, null, null, null).cflags());
        List<String> flags = new ArrayList<>(List.of("-DX=1"));
        CompileRequest r = new CompileRequest(Path.of("p.c"), null, flags, null, null);
        flags.add("-DY=2");
        assertEquals(List.of("-DX=1"), r.cflags());
        assertThrows(UnsupportedOperationException.class, () -> r.cflags().add("-g"));
    }
}
