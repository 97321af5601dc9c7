package dev.bee.core.object;

import dev.bee.core.Plural;
import dev.bee.core.btf.BtfExt;
import dev.bee.core.btf.BtfExtReader;
import dev.bee.core.elf.ElfFile;
import dev.bee.core.elf.ElfSection;
import dev.bee.core.elf.ElfSymbol;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The section table of an object, each section with what it holds: the programs of a code section,
 * the maps of {@code .maps}, the globals of {@code .rodata}/{@code .data}/{@code .bss}, the BTF, the
 * relocations of a {@code .rel} section. Sizes and kinds are those {@code llvm-objdump --headers} prints.
 */
public final class ObjectSections {
    private static final int SHT_LLVM_ADDRSIG = 0x6fff4c03;
    private static final Map<Integer, String> TYPES = Map.ofEntries(Map.entry(ElfSection.SHT_NULL, "NULL"),
            Map.entry(ElfSection.SHT_PROGBITS, "PROGBITS"), Map.entry(ElfSection.SHT_SYMTAB, "SYMTAB"),
            Map.entry(ElfSection.SHT_STRTAB, "STRTAB"), Map.entry(ElfSection.SHT_RELA, "RELA"),
            Map.entry(5, "HASH"), Map.entry(6, "DYNAMIC"), Map.entry(7, "NOTE"),
            Map.entry(ElfSection.SHT_NOBITS, "NOBITS"), Map.entry(ElfSection.SHT_REL, "REL"),
            Map.entry(SHT_LLVM_ADDRSIG, "LLVM_ADDRSIG"));

    private ObjectSections() {
    }

    public static List<SectionEntry> of(BpfObject object) {
        ElfFile elf = object.elf();
        BtfExt ext = object.btf() == null ? null : elf.section(".BTF.ext")
                .map(s -> BtfExtReader.read(elf.origin() + " .BTF.ext", elf.data(s), object.btf())).orElse(null);
        List<SectionEntry> out = new ArrayList<>(elf.sections().size());
        for (ElfSection s : elf.sections()) {
            out.add(new SectionEntry(s.index(), s.name(), s.size(), s.addr(), kind(s), type(s.type()), flags(s.flags()),
                    holds(object, ext, s)));
        }
        return out;
    }

    /** llvm-objdump's Type column: TEXT, DATA, BSS, DEBUG, or nothing. */
    static String kind(ElfSection s) {
        List<String> k = new ArrayList<>(2);
        boolean alloc = (s.flags() & ElfSection.SHF_ALLOC) != 0;
        if (s.isExecutable()) {
            k.add("TEXT");
        }
        if (alloc && !s.isExecutable() && s.type() != ElfSection.SHT_NOBITS) {
            k.add("DATA");
        }
        if (alloc && s.type() == ElfSection.SHT_NOBITS) {
            k.add("BSS");
        }
        if (s.name().startsWith(".debug") || s.name().startsWith(".zdebug") || s.name().equals(".gdb_index")) {
            k.add("DEBUG");
        }
        return String.join(", ", k);
    }

    private static String type(int type) {
        String t = TYPES.get(type);
        return t != null ? t : "0x" + Integer.toHexString(type);
    }

    private static String flags(long flags) {
        return ((flags & ElfSection.SHF_WRITE) != 0 ? "W" : "") + ((flags & ElfSection.SHF_ALLOC) != 0 ? "A" : "")
                + ((flags & ElfSection.SHF_EXECINSTR) != 0 ? "X" : "");
    }

    private static String holds(BpfObject object, BtfExt ext, ElfSection s) {
        ElfFile elf = object.elf();
        String name = s.name();
        if (s.type() == ElfSection.SHT_REL || s.type() == ElfSection.SHT_RELA) {
            String target = s.info() > 0 && s.info() < elf.sections().size() ? elf.section(s.info()).name() : "?";
            long entries = s.size() / (s.type() == ElfSection.SHT_RELA ? 24 : 16);
            return Plural.of(entries, "relocation") + " for " + target;
        }
        if (s.isExecutable()) {
            List<String> programs = object.programs().stream().filter(p -> p.section().equals(name))
                    .map(p -> p.name() + " (" + p.type().name().toLowerCase(Locale.ROOT) + ")").toList();
            List<String> functions = elf.symbols().stream()
                    .filter(y -> y.sectionIndex() == s.index() && y.isFunction()).map(ElfSymbol::name).toList();
            if (!programs.isEmpty()) {
                return (programs.size() == 1 ? "program " : "programs ") + String.join(", ", programs);
            }
            if (functions.isEmpty()) {
                return s.size() == 0 ? "no code" : "code, no function symbols";
            }
            return (functions.size() == 1 ? "subprogram " : "subprograms ") + String.join(", ", functions);
        }
        List<String> maps = object.maps().stream().filter(m -> m.section().equals(name)).map(MapSpec::name).toList();
        if (!maps.isEmpty()) {
            return (maps.size() == 1 ? "map " : "maps ") + String.join(", ", maps);
        }
        List<String> globals = object.globals().stream().filter(g -> g.section().equals(name)).map(GlobalVar::name)
                .toList();
        if (!globals.isEmpty()) {
            return (globals.size() == 1 ? "global " : "globals ") + String.join(", ", globals);
        }
        return switch (name) {
            case "" -> "";
            case "license" -> "license \"" + object.license() + "\"";
            case "version" -> "kernel version";
            case ".BTF" -> object.btf() == null ? "BTF" : "BTF: " + Plural.of(object.btf().count() - 1, "type");
            case ".BTF.ext" -> ext == null ? "BTF line, function and CO-RE info"
                    : "BTF info: " + Plural.of(ext.funcs().size(), "function") + ", "
                    + Plural.of(ext.lines().size(), "source line") + ", "
                    + Plural.of(ext.coreRelocations().size(), "CO-RE relocation");
            case ".symtab" -> "symbol table: " + Plural.of(elf.symbols().size(), "symbol");
            case ".strtab", ".shstrtab" -> "string table (names)";
            case ".llvm_addrsig" -> "llvm address-significance table";
            default -> name.startsWith(".debug") ? "DWARF debug info"
                    : name.startsWith(".rodata") || name.startsWith(".data") || name.startsWith(".bss")
                    ? "data (string literals or statics)" : "";
        };
    }
}
