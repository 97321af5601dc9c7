package dev.bee.core.object;

import dev.bee.core.build.ClangCompiler;
import dev.bee.core.build.CompileRequest;
import dev.bee.core.testing.Examples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A big-endian BPF object (clang -target bpfeb) reads into the same model as the little-endian one. */
class BigEndianObjectIT {
    @TempDir
    Path tmp;

    @Test
    void bigEndianObjectMatchesLittleEndian() {
        String name = "opensnoop";
        Path little = Examples.object(name);
        Path big = tmp.resolve(name + "-eb.o");
        new ClangCompiler(Examples.cacheRoot(), m -> { }, System.err::println)
                .compile(new CompileRequest(Examples.source(name), big, List.of("-target bpfeb"), null, null));
        BpfObject le = ObjectReader.read(little);
        BpfObject be = ObjectReader.read(big);
        assertEquals(ByteOrder.BIG_ENDIAN, be.elf().byteOrder());
        assertEquals(ByteOrder.LITTLE_ENDIAN, le.elf().byteOrder());
        assertEquals(le.programs(), be.programs());
        assertEquals(le.maps(), be.maps());
        assertEquals(le.globals().stream().map(g -> g.name() + "=" + g.defaultValue()).toList(),
                be.globals().stream().map(g -> g.name() + "=" + g.defaultValue()).toList());
        assertEquals(le.license(), be.license());
    }
}
