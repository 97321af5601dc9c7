package dev.bee.core.object;

import dev.bee.core.testing.Examples;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bee's section list against {@code llvm-objdump --headers} on every example, and what each section holds. */
class ObjectSectionsIT {
    private static final Pattern ROW = Pattern.compile("^\\s*(\\d+) (.*?)\\s+([0-9a-f]{8,}) ([0-9a-f]{16}) ?(.*)$");

    /** Index, name, size, VMA and kind as both print them. */
    record Header(int index, String name, long size, long vma, String kind) {
    }

    private static List<Header> llvm(Path object) {
        Requirements.requireTool("llvm-objdump");
        List<Header> out = new ArrayList<>();
        for (String line : Examples.exec("llvm-objdump", "--headers", object.toString()).split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                out.add(new Header(Integer.parseInt(m.group(1)), m.group(2).strip(), Long.parseLong(m.group(3), 16),
                        Long.parseLong(m.group(4), 16), m.group(5).strip()));
            }
        }
        return out;
    }

    @Test
    void everyExampleAsLlvmObjdumpHeaders() {
        for (String name : Examples.names()) {
            Path object = Examples.object(name);
            List<Header> expected = llvm(object);
            List<Header> actual = ObjectSections.of(ObjectReader.read(object)).stream()
                    .map(s -> new Header(s.index(), s.name(), s.size(), s.vma(), s.kind())).toList();
            assertTrue(expected.size() > 8, name + ": llvm-objdump listed " + expected);
            assertEquals(expected, actual, name);
        }
    }

    @Test
    void whatEachSectionHolds() {
        List<SectionEntry> s = ObjectSections.of(ObjectReader.read(Examples.object("opensnoop")));
        assertEquals("program handle_enter (tracepoint)", holds(s, "tracepoint/syscalls/sys_enter_openat"));
        assertEquals("2 relocations for tracepoint/syscalls/sys_enter_openat",
                holds(s, ".reltracepoint/syscalls/sys_enter_openat"));
        assertEquals("maps start, print_opens, bee_lost_print_opens", holds(s, ".maps"));
        assertEquals("globals target_pid, include_failed", holds(s, ".rodata"));
        assertEquals("license \"GPL\"", holds(s, "license"));
        assertTrue(holds(s, ".BTF").matches("BTF: \\d+ types"), holds(s, ".BTF"));
        assertTrue(holds(s, ".BTF.ext").matches("BTF info: 2 functions, \\d+ source lines, 4 CO-RE relocations"),
                holds(s, ".BTF.ext"));
        SectionEntry code = s.stream().filter(e -> e.name().equals(".text")).findFirst().orElseThrow();
        assertEquals("PROGBITS", code.type());
        assertEquals("AX", code.flags());
        assertEquals("no code", code.holds());
    }

    private static String holds(List<SectionEntry> sections, String name) {
        return sections.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow().holds();
    }
}
