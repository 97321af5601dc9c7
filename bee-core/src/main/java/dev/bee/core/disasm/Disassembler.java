package dev.bee.core.disasm;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.btf.Btf;
import dev.bee.core.btf.BtfExt;
import dev.bee.core.btf.BtfExtReader;
import dev.bee.core.elf.ElfFile;
import dev.bee.core.elf.ElfRelocation;
import dev.bee.core.elf.ElfSection;
import dev.bee.core.elf.ElfSymbol;
import dev.bee.core.object.BpfObject;
import dev.bee.core.object.ProgramSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Disassembles the code sections of an object into a {@link Disassembly}: llvm's syntax
 * ({@link BpfSyntax}), helper names ({@link HelperNames}), labels from the symbol table, relocations
 * from the {@code .rel} sections, and source lines and CO-RE relocations from {@code .BTF.ext}.
 * An opcode the kernel does not know is an error that names the section, instruction and byte.
 */
public final class Disassembler {
    private static final Set<String> DATA_PREFIXES = Set.of(".rodata", ".data", ".bss");
    private static final Map<Integer, String> RELOCATION_TYPES = Map.of(1, "R_BPF_64_64", 2, "R_BPF_64_ABS64",
            3, "R_BPF_64_ABS32", 4, "R_BPF_64_NODYLD32", 10, "R_BPF_64_32");

    private Disassembler() {
    }

    /** Every function of every code section, or only those named {@code only} (a function or section name). */
    public static Disassembly disassemble(BpfObject object, String only) {
        ElfFile elf = object.elf();
        Btf btf = object.btf();
        BtfExt ext = btf == null ? null : elf.section(".BTF.ext")
                .map(s -> BtfExtReader.read(elf.origin() + " .BTF.ext", elf.data(s), btf)).orElse(null);
        Set<String> programs = object.programs().stream().map(ProgramSpec::name).collect(Collectors.toSet());
        List<Disassembly.Function> out = new ArrayList<>();
        for (ElfSection sec : elf.sections()) {
            if (sec.isExecutable() && sec.hasFileData() && sec.size() > 0) {
                for (Disassembly.Function f : section(elf, btf, ext, sec, programs)) {
                    if (only == null || f.name().equals(only) || f.section().equals(only)) {
                        out.add(f);
                    }
                }
            }
        }
        if (only != null && out.isEmpty()) {
            throw new BeeException(ErrorKind.NOT_FOUND, elf.origin() + " has no program or section named '" + only + "'",
                    "programs: " + String.join(", ", object.programs().stream().map(ProgramSpec::name).toList()));
        }
        return new Disassembly(elf.origin(), List.copyOf(out));
    }

    private static List<Disassembly.Function> section(ElfFile elf, Btf btf, BtfExt ext, ElfSection sec,
                                                      Set<String> programs) {
        List<Instruction> insns = InstructionDecoder.decode("section '" + sec.name() + "'", elf.data(sec),
                elf.byteOrder());
        // Symbols of this section by byte offset: functions start blocks, other names label jump targets.
        TreeMap<Long, ElfSymbol> labels = new TreeMap<>();
        for (ElfSymbol s : elf.symbols()) {
            if (s.sectionIndex() == sec.index() && !s.name().isEmpty() && s.type() != ElfSymbol.STT_SECTION) {
                labels.merge(s.value(), s, (a, b) -> a.isFunction() ? a : b);
            }
        }
        Map<Long, List<Disassembly.Note>> notes = relocationNotes(elf, sec);
        Map<Long, Disassembly.Source> sources = new HashMap<>();
        if (ext != null) {
            for (BtfExt.LineInfo li : ext.lines()) {
                // Line 0 is clang's "no line" (compiler-made code): nothing to show above it.
                if (li.section().equals(sec.name()) && li.line() != 0) {
                    sources.putIfAbsent(li.offset(), new Disassembly.Source(li.file(), li.line(), li.column(), li.text()));
                }
            }
            for (BtfExt.CoreRelocation r : ext.coreRelocations()) {
                if (r.section().equals(sec.name())) {
                    notes.computeIfAbsent(r.offset(), k -> new ArrayList<>()).add(new Disassembly.Note("core",
                            "CO-RE " + r.kind().label() + " " + CoreAccess.describe(btf, r),
                            null, null));
                }
            }
        }
        List<Disassembly.Function> out = new ArrayList<>();
        String current = null;
        List<Disassembly.Line> lines = new ArrayList<>();
        Disassembly.Source shown = null;
        for (Instruction in : insns) {
            long at = in.byteOffset();
            ElfSymbol here = labels.get(at);
            if (here != null && here.isFunction()) {
                if (current != null || !lines.isEmpty()) {
                    out.add(function(current, sec, programs, lines));
                }
                current = here.name();
                lines = new ArrayList<>();
            }
            String text = BpfSyntax.text(in, HelperNames::of).orElseThrow(() -> unknown(elf, sec, in));
            Long target = in.isJump() ? in.jumpTarget() : null;
            if (target != null) {
                text += targetLabel(labels, target);
            }
            String label = here != null && !here.isFunction() ? here.name() : null;
            // As llvm-objdump -S: a source line is shown where it changes, and again after a label or a new function.
            Disassembly.Source source = sources.get(at);
            if (source != null && shown != null && source.line() == shown.line() && source.file().equals(shown.file())
                    && label == null && here == null) {
                source = null;
            } else if (source != null) {
                shown = source;
            }
            lines.add(new Disassembly.Line(in.index(), in.hex(), text, label, source, target,
                    List.copyOf(notes.getOrDefault(at, List.of()))));
        }
        if (current != null || !lines.isEmpty()) {
            out.add(function(current, sec, programs, lines));
        }
        return out;
    }

    private static Disassembly.Function function(String name, ElfSection sec, Set<String> programs,
                                                 List<Disassembly.Line> lines) {
        String n = name != null ? name : sec.name();
        return new Disassembly.Function(n, sec.name(), programs.contains(n) && !sec.name().equals(".text"),
                List.copyOf(lines));
    }

    /** llvm-objdump's {@code <LBB0_2>} or {@code <f+0x70>}: the nearest symbol at or before the target. */
    private static String targetLabel(TreeMap<Long, ElfSymbol> labels, long targetIndex) {
        long at = targetIndex * Instruction.SIZE;
        Map.Entry<Long, ElfSymbol> e = labels.floorEntry(at);
        if (e == null) {
            return "";
        }
        long delta = at - e.getKey();
        return " <" + e.getValue().name() + (delta == 0 ? "" : "+0x" + Long.toHexString(delta)) + ">";
    }

    private static Map<Long, List<Disassembly.Note>> relocationNotes(ElfFile elf, ElfSection code) {
        Map<Long, List<Disassembly.Note>> out = new HashMap<>();
        for (ElfSection rel : elf.sections()) {
            if ((rel.type() != ElfSection.SHT_REL && rel.type() != ElfSection.SHT_RELA) || rel.info() != code.index()) {
                continue;
            }
            for (ElfRelocation r : elf.relocations(rel)) {
                ElfSymbol sym = elf.symbol(r.symbolIndex());
                String type = RELOCATION_TYPES.getOrDefault(r.type(), "type " + r.type());
                out.computeIfAbsent(r.offset(), k -> new ArrayList<>())
                        .add(new Disassembly.Note("relocation", what(elf, sym), symbolName(elf, sym), type));
            }
        }
        return out;
    }

    private static String symbolName(ElfFile elf, ElfSymbol sym) {
        if (sym.type() == ElfSymbol.STT_SECTION && sym.sectionIndex() < elf.sections().size()) {
            return elf.section(sym.sectionIndex()).name();
        }
        return sym.name();
    }

    /** What a relocation's symbol is, for people: a map, a global, a function, a section, an extern. */
    private static String what(ElfFile elf, ElfSymbol sym) {
        if (sym.sectionIndex() == ElfSymbol.SHN_UNDEF) {
            return "extern " + sym.name();
        }
        if (sym.sectionIndex() >= elf.sections().size()) {
            return sym.name();
        }
        ElfSection in = elf.section(sym.sectionIndex());
        if (sym.type() == ElfSymbol.STT_SECTION) {
            return "section " + in.name();
        }
        if (in.name().equals(".maps") || in.name().startsWith(".maps.") || in.name().equals("maps")) {
            return "map " + sym.name();
        }
        if (in.isExecutable()) {
            return "function " + sym.name() + " (" + in.name() + ")";
        }
        String base = in.name().indexOf('.', 1) > 0 ? in.name().substring(0, in.name().indexOf('.', 1)) : in.name();
        if (DATA_PREFIXES.contains(base)) {
            return "global " + sym.name() + " (" + in.name() + ")";
        }
        return sym.name() + " (" + in.name() + ")";
    }

    private static BeeException unknown(ElfFile elf, ElfSection sec, Instruction in) {
        String what = in.dst() > 10 || in.src() > 10
                ? "register r" + Math.max(in.dst(), in.src()) + ", which does not exist (r0 to r10)"
                : "opcode 0x" + String.format("%02x", in.opcode()) + ", which is no eBPF instruction";
        return new BeeException(ErrorKind.INPUT, elf.origin() + ": section '" + sec.name() + "' instruction "
                + in.index() + " (byte 0x" + Long.toHexString(in.byteOffset()) + ": " + in.hex() + ") uses " + what,
                "the object is corrupt or from a compiler newer than bee's instruction set (eBPF v4); rebuild it");
    }
}
