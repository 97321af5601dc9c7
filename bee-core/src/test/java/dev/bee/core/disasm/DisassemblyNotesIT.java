package dev.bee.core.disasm;

import dev.bee.core.object.ObjectReader;
import dev.bee.core.testing.Examples;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the disassembly says beside the instructions, checked against independent sources on every
 * example: source lines against the C files, relocations against {@code llvm-objdump -r}, CO-RE field
 * offsets against the offsets the instructions themselves carry.
 */
class DisassemblyNotesIT {
    private static final Pattern RELOCATIONS_FOR = Pattern.compile("^RELOCATION RECORDS FOR \\[(.*)\\]:$");
    private static final Pattern RELOCATION = Pattern.compile("^([0-9a-f]{16}) (R_BPF_\\S+)\\s+(\\S+)$");
    private static final Pattern CORE_OFFSET = Pattern.compile("^CO-RE byte_off .* @ offset (\\d+)\\)$");

    private static Disassembly disassemble(String example) {
        return Disassembler.disassemble(ObjectReader.read(Examples.object(example)), null);
    }

    @Test
    void sourceLinesAreTheLinesOfTheCFiles() throws IOException {
        int checked = 0;
        for (String name : Examples.names()) {
            for (Disassembly.Function f : disassemble(name).functions()) {
                for (Disassembly.Line l : f.lines()) {
                    Disassembly.Source s = l.source();
                    if (s == null || !Files.isReadable(Path.of(s.file()))) {
                        continue;
                    }
                    List<String> lines = Files.readAllLines(Path.of(s.file()));
                    assertEquals(lines.get(s.line() - 1).strip(), s.text().strip(), name + " " + s);
                    checked++;
                }
            }
        }
        assertTrue(checked > 100, checked + " source lines checked");
    }

    @Test
    void relocationsAsLlvmObjdumpR() {
        for (String name : Examples.names()) {
            Set<String> expected = new TreeSet<>();
            String section = null;
            for (String line : Examples.exec("llvm-objdump", "-r", Examples.object(name).toString()).split("\n")) {
                Matcher s = RELOCATIONS_FOR.matcher(line);
                Matcher r = RELOCATION.matcher(line);
                if (s.matches()) {
                    section = s.group(1);
                } else if (r.matches() && !section.startsWith(".BTF")) {
                    expected.add(section + " " + Long.parseLong(r.group(1), 16) + " " + r.group(2) + " " + r.group(3));
                }
            }
            Set<String> actual = new TreeSet<>();
            for (Disassembly.Function f : disassemble(name).functions()) {
                for (Disassembly.Line l : f.lines()) {
                    for (Disassembly.Note n : l.notes()) {
                        if (n.kind().equals("relocation")) {
                            actual.add(f.section() + " " + l.index() * 8L + " " + n.relocation() + " " + n.symbol());
                        }
                    }
                }
            }
            assertTrue(!expected.isEmpty(), name);
            assertEquals(expected, actual, name);
        }
    }

    @Test
    void mapsAndGlobalsByName() {
        List<String> notes = new ArrayList<>();
        disassemble("opensnoop").functions().forEach(f -> f.lines().forEach(l -> l.notes().forEach(n -> notes.add(n.text()))));
        assertTrue(notes.contains("map start"), notes.toString());
        assertTrue(notes.contains("global target_pid (.rodata)"), notes.toString());
        assertTrue(notes.contains("CO-RE byte_off struct trace_event_raw_sys_enter.args[1] (0:2:1 @ offset 24)"),
                notes.toString());
    }

    /** A field's offset as the object's BTF computes it is the offset clang put in the instruction. */
    @Test
    void coreFieldOffsetsAreTheInstructionsOwn() {
        int checked = 0;
        for (String name : Examples.names()) {
            for (Disassembly.Function f : disassemble(name).functions()) {
                for (Disassembly.Line l : f.lines()) {
                    for (Disassembly.Note n : l.notes()) {
                        Matcher m = CORE_OFFSET.matcher(n.text());
                        if (!m.matches()) {
                            continue;
                        }
                        Instruction in = InstructionDecoder.decode("line", HexFormat.ofDelimiter(" ").parseHex(l.bytes()),
                                ByteOrder.LITTLE_ENDIAN).get(0);
                        int cls = in.opcode() & 7;
                        long carried = cls == 1 || cls == 2 || cls == 3 ? in.offset() : in.imm64();
                        assertEquals(Long.parseLong(m.group(1)), carried, name + " " + l);
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked >= 5, checked + " CO-RE field offsets checked");
    }
}
