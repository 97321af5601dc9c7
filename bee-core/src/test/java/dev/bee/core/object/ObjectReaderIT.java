package dev.bee.core.object;

import dev.bee.core.testing.Examples;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The object model of the examples, built by bee: programs, maps, conventions, globals. */
class ObjectReaderIT {

    @Test
    void tcpconnect() {
        BpfObject o = ObjectReader.read(Examples.object("tcpconnect"));
        assertEquals("GPL", o.license());
        ProgramSpec p = o.programs().get(0);
        assertEquals("handle_set_state", p.name());
        assertEquals(ProgramType.TRACEPOINT, p.type());
        assertEquals(AttachKind.TRACEPOINT, p.attachKind());
        assertEquals("sock/inet_sock_set_state", p.target());
        assertTrue(p.instructions() > 10);
        MapSpec events = o.map("print_connects").orElseThrow();
        assertEquals(MapType.RINGBUF, events.type());
        assertEquals(OutputKind.PRINT, events.output());
        assertEquals("struct event_t", events.valueType());
        assertEquals(1 << 18, events.maxEntries());
        MapSpec counts = o.map("counter_connects").orElseThrow();
        assertEquals(MapType.HASH, counts.type());
        assertEquals(OutputKind.COUNTER, counts.output());
        assertEquals("struct dimensions_t", counts.keyType());
        assertEquals(12, counts.keySize()); // 4 + 4 + 2, padded to 4
        assertEquals(8, counts.valueSize());
    }

    @Test
    void legacyMapSectionConvention() {
        BpfObject o = ObjectReader.read(Examples.object("tcpconnect_kprobe"));
        assertEquals(Map.of("tcp_v4_connect", AttachKind.KPROBE, "tcp_v4_connect_ret", AttachKind.KRETPROBE),
                o.programs().stream().collect(Collectors.toMap(ProgramSpec::name, ProgramSpec::attachKind)));
        assertTrue(o.programs().stream().allMatch(p -> "tcp_v4_connect".equals(p.target())));
        MapSpec ext = o.map("sockets_ext").orElseThrow();
        assertEquals(".maps.counter", ext.section());
        assertEquals(OutputKind.COUNTER, ext.output());
        assertEquals(8, ext.keySize()); // packed
        assertEquals(OutputKind.NONE, o.map("sockets").orElseThrow().output());
        assertTrue(o.usesLegacyMapSections());
    }

    @Test
    void globalsWithDefaults() {
        BpfObject o = ObjectReader.read(Examples.object("opensnoop"));
        GlobalVar pid = o.global("target_pid").orElseThrow();
        assertEquals(".rodata", pid.section());
        assertTrue(pid.constant());
        assertEquals(0L, pid.defaultValue());
        assertEquals("const volatile u32", pid.type());
        GlobalVar failed = o.global("include_failed").orElseThrow();
        assertEquals(true, failed.defaultValue());
        assertEquals(4, failed.offset(), "offset comes from the symbol table, not BTF's zeroed DATASEC");
        assertEquals(List.of("handle_enter", "handle_exit"), o.programs().stream().map(ProgramSpec::name).toList());
    }

    @Test
    void everyConventionAppearsInTheExamples() {
        java.util.Set<OutputKind> seen = new java.util.HashSet<>();
        java.util.Set<MapType> types = new java.util.HashSet<>();
        for (String name : Examples.names()) {
            BpfObject o = ObjectReader.read(Examples.object(name));
            assertFalse(o.programs().isEmpty(), name + " has programs");
            o.maps().forEach(m -> {
                seen.add(m.output());
                types.add(m.type());
            });
        }
        assertEquals(java.util.EnumSet.allOf(OutputKind.class), seen);
        assertTrue(types.containsAll(List.of(MapType.RINGBUF, MapType.HASH)));
    }
}
