package dev.bee.core.disasm;

import dev.bee.core.build.ClangCompiler;
import dev.bee.core.build.CompileRequest;
import dev.bee.core.object.ObjectReader;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * bee's disassembly, instruction by instruction, against {@code llvm-objdump -d} (LLVM 14): every example
 * in bpf-examples, every test program of the CLI's tests, and an object holding every opcode.
 */
class DisassemblerLlvmIT {
    private static final Pattern SECTION = Pattern.compile("^Disassembly of section (.*):$");
    private static final Pattern INSN = Pattern.compile("^\\s*(\\d+):\\t((?:[0-9a-f]{2} )*[0-9a-f]{2})\\s*\\t?(.*)$");
    private static final Pattern CALL = Pattern.compile("^call (-?\\d+)$");

    @TempDir
    Path tmp;

    /** One instruction line of llvm-objdump or bee: section, index, raw bytes, text. */
    record Row(String section, int index, String bytes, String text) {
    }

    static List<Row> llvm(Path object) {
        Requirements.requireTool("llvm-objdump");
        List<Row> rows = new ArrayList<>();
        String section = null;
        for (String line : Examples.exec("llvm-objdump", "-d", object.toString()).split("\n")) {
            Matcher s = SECTION.matcher(line);
            Matcher m = INSN.matcher(line);
            if (s.matches()) {
                section = s.group(1);
            } else if (m.matches()) {
                rows.add(new Row(section, Integer.parseInt(m.group(1)), m.group(2), normalise(m.group(3))));
            }
        }
        return rows;
    }

    /** Whitespace collapsed; helper calls named as bee names them (HelperNamesIT checks the names). */
    static String normalise(String text) {
        String t = text.strip().replaceAll("\\s+", " ");
        Matcher call = CALL.matcher(t);
        if (call.matches() && HelperNames.of(Integer.parseInt(call.group(1))) != null) {
            return "call " + HelperNames.of(Integer.parseInt(call.group(1)));
        }
        return t;
    }

    static List<Row> bee(Path object) {
        List<Row> rows = new ArrayList<>();
        for (Disassembly.Function f : Disassembler.disassemble(ObjectReader.read(object), null).functions()) {
            for (Disassembly.Line l : f.lines()) {
                rows.add(new Row(f.section(), l.index(), l.bytes(), l.text()));
            }
        }
        return rows;
    }

    private static void assertSame(Path object) {
        List<Row> expected = llvm(object);
        List<Row> actual = bee(object);
        assertTrue(expected.size() > 10, object + ": llvm-objdump printed " + expected.size() + " instructions");
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), object.getFileName() + " instruction " + i);
        }
        assertEquals(expected.size(), actual.size(), object + ": instruction count");
    }

    @Test
    void everyExampleMatchesLlvmObjdump() {
        for (String name : Examples.names()) {
            assertSame(Examples.object(name));
        }
    }

    @Test
    void everyCliTestProgramMatchesLlvmObjdump() throws IOException {
        Path dir = Examples.repoRoot().resolve("bee-cli/src/test/resources/objects");
        List<Path> sources;
        try (Stream<Path> s = Files.list(dir)) {
            sources = s.filter(p -> p.toString().endsWith(".c")).sorted().toList();
        }
        assertTrue(sources.size() >= 10, "test programs in " + dir);
        ClangCompiler clang = new ClangCompiler(Examples.cacheRoot(), msg -> { }, System.err::println);
        for (Path src : sources) {
            Path out = tmp.resolve(src.getFileName().toString().replace(".c", ".o"));
            clang.compile(new CompileRequest(src, out, List.of(), null, null));
            assertSame(out);
        }
    }

    /** A big-endian object (clang -target bpfeb): register nibbles and immediates the other way round. */
    @Test
    void bigEndianMatchesLlvmObjdump() {
        ClangCompiler clang = new ClangCompiler(Examples.cacheRoot(), msg -> { }, System.err::println);
        for (String name : List.of("opensnoop", "tcpconnect")) {
            Path out = tmp.resolve(name + "-eb.o");
            clang.compile(new CompileRequest(Examples.source(name), out, List.of("-target bpfeb"), null, null));
            assertSame(out);
        }
    }

    /**
     * Every opcode, with the fields a compiler sets: where llvm 14 knows the instruction bee writes the
     * same text, and where llvm 14 does not bee refuses it, except for the instructions the kernel added
     * later or llvm 14 never learnt (ISA v4, 32-bit atomics, stores of immediates, modulo, JSET), which bee
 * writes as newer llvm or the kernel's disassembler does.
     */
    @Test
    void everyOpcodeAsLlvm14OrNewer() throws IOException {
        List<byte[]> all = allOpcodes();
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        all.forEach(code::writeBytes);
        Path object = tmp.resolve("all.o");
        Files.write(object, CodeObjects.object(code.toByteArray()));
        int known = 0;
        int refused = 0;
        int newer = 0;
        List<String> wrong = new ArrayList<>();
        for (Row row : llvm(object)) {
            byte[] bytes = HexFormat.ofDelimiter(" ").parseHex(row.bytes());
            Instruction in = InstructionDecoder.decode("all.o", bytes, ByteOrder.LITTLE_ENDIAN).get(0);
            Optional<String> text = BpfSyntax.text(in, HelperNames::of);
            String llvmText = row.text().replaceAll(" <f\\+0x[0-9a-f]+>$", "");
            // callx (0x8d, its register in imm) is llvm's alone: the kernel refuses it, and so does bee.
            Optional<String> expected = newerThanLlvm14(in) ? text.or(() -> Optional.of("an instruction"))
                    : llvmText.equals("<unknown>") || in.opcode() == 0x8d ? Optional.empty() : Optional.of(llvmText);
            if (!expected.equals(text)) {
                wrong.add(row + " is " + text.orElse("<unknown>") + " to bee, " + expected.orElse("<unknown>"));
            } else if (newerThanLlvm14(in)) {
                newer++;
            } else if (text.isEmpty()) {
                refused++;
            } else {
                known++;
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(known > 250 && refused > 100 && newer > 20, known + " known, " + refused + " refused, " + newer
                + " newer than llvm 14");
    }

    private static boolean newerThanLlvm14(Instruction in) {
        int op = in.opcode();
        int cls = op & 7;
        boolean aluOffset = (cls == 4 || cls == 7) && (((op & 0xf0) == 0x30 || (op & 0xf0) == 0x90) && in.offset() == 1
                || (op == 0xbf || op == 0xbc) && (in.offset() == 8 || in.offset() == 16 || in.offset() == 32 && op == 0xbf));
        // JSET (if r1 & r2) llvm never learnt; bee writes it as the kernel's own disassembler does.
        boolean jset = (cls == 5 || cls == 6) && (op & 0xf0) == 0x40;
        // BPF_MOD came to llvm with ISA v4 (llvm 17).
        boolean mod = (cls == 4 || cls == 7) && (op & 0xf0) == 0x90;
        return aluOffset || jset || mod || op == 0x81 || op == 0x89 || op == 0x91 || cls == 2 && (op & 0xe0) == 0x60 || op == 0xd7
                || op == 0x06 || op == 0xc3 && in.imm() != 0;
    }

    private static List<byte[]> allOpcodes() {
        List<byte[]> out = new ArrayList<>();
        for (int op = 0; op < 256; op++) {
            int cls = op & 7;
            if (op == Instruction.LDDW) {
                for (int src = 0; src <= 6; src++) {
                    out.add(BpfSyntaxTest.concat(CodeObjects.insn(op, 1, src, 0, 5), CodeObjects.insn(0, 0, 0, 0, 1)));
                }
            } else if (op == 0xc3 || op == 0xdb) {
                for (int imm : new int[]{0, 1, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1}) {
                    out.add(CodeObjects.insn(op, 1, 2, 3, imm));
                }
            } else if (op == 0xd4 || op == 0xdc || op == 0xd7) {
                for (int imm : new int[]{16, 32, 64}) {
                    out.add(CodeObjects.insn(op, 1, 0, 0, imm));
                }
            } else if (op == 0x85) {
                out.add(CodeObjects.insn(op, 0, 0, 0, 14));
                out.add(CodeObjects.insn(op, 0, 1, 0, -1));
            } else if (op == 0x95) {
                out.add(CodeObjects.insn(op, 0, 0, 0, 0));
            } else if (op == 0x05) {
                out.add(CodeObjects.insn(op, 0, 0, 3, 0));
            } else if (op == 0x06) {
                out.add(CodeObjects.insn(op, 0, 0, 0, -9));
            } else {
                out.add(CodeObjects.insn(op, 1, 2, 3, 5));
                out.add(CodeObjects.insn(op, 1, 2, -3, -7));
                if ((cls == 4 || cls == 7) && ((op & 0xf0) == 0x30 || (op & 0xf0) == 0x90 || (op & 0xf0) == 0xb0)) {
                    for (int off : new int[]{1, 8, 16, 32}) {
                        out.add(CodeObjects.insn(op, 1, 2, off, 5));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void failsOnlyOnCodeWithoutInstructions() {
        // Guard for the comparison above: a row that llvm-objdump cannot parse would be skipped silently.
        assertEquals("r1 = *(u64 *)(r1 + 112)", normalise("r1 = *(u64 *)(r1 + 112)"));
        assertEquals("call bpf_get_current_pid_tgid", normalise("call\t14"));
        if (HelperNames.of(999_999) != null) {
            fail("no helper has id 999999");
        }
    }
}
