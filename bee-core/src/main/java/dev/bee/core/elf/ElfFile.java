package dev.bee.core.elf;

import dev.bee.core.Plural;
import dev.bee.core.io.ByteReader;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed ELF64 relocatable or executable file of either byte order: its sections, symbols and
 * relocations. Everything is validated against the file's bounds while parsing.
 */
public final class ElfFile {
    public static final int EM_BPF = 247;
    public static final int ET_REL = 1;
    private static final int EHDR_SIZE = 64;
    private static final int SHDR_SIZE = 64;
    private static final int SYM_SIZE = 24;
    /** More sections than this is not an eBPF object but an attack or garbage. */
    private static final int MAX_SECTIONS = 65_000;

    private final String origin;
    private final ByteReader reader;
    private final int fileType;
    private final int machine;
    private final List<ElfSection> sections;
    private final Map<String, ElfSection> byName;
    private final List<ElfSymbol> symbols;

    private ElfFile(String origin, ByteReader reader, int fileType, int machine, List<ElfSection> sections,
                    List<ElfSymbol> symbols) {
        this.origin = origin;
        this.reader = reader;
        this.fileType = fileType;
        this.machine = machine;
        this.sections = Collections.unmodifiableList(sections);
        Map<String, ElfSection> names = new LinkedHashMap<>();
        for (ElfSection s : sections) {
            names.putIfAbsent(s.name(), s);
        }
        this.byName = Collections.unmodifiableMap(names);
        this.symbols = Collections.unmodifiableList(symbols);
    }

    /** Parses {@code data}; {@code origin} names the file in error messages. */
    public static ElfFile parse(String origin, byte[] data) {
        ByteReader r = new ByteReader(origin, data, ByteOrder.LITTLE_ENDIAN);
        if (data.length < 16 || data[0] != 0x7f || data[1] != 'E' || data[2] != 'L' || data[3] != 'F') {
            throw r.malformed("not an ELF file (no \\x7fELF magic at offset 0)");
        }
        if (data[4] != 2) {
            throw r.malformed("ELF class " + data[4] + " at offset 4 is not ELF64; eBPF objects are 64-bit");
        }
        ByteOrder order = switch (data[5]) {
            case 1 -> ByteOrder.LITTLE_ENDIAN;
            case 2 -> ByteOrder.BIG_ENDIAN;
            default -> throw r.malformed("unknown ELF data encoding " + data[5] + " at offset 5");
        };
        r = r.withOrder(order);
        r.check(0, EHDR_SIZE, "ELF header");
        int type = r.u16(16);
        int machine = r.u16(18);
        long shoff = r.u64(40);
        int shentsize = r.u16(58);
        int shnum = r.u16(60);
        if (shoff == 0 && shnum == 0) {
            return new ElfFile(origin, r, type, machine, List.of(), List.of());
        }
        if (shentsize != SHDR_SIZE) {
            throw r.malformed("section header size " + shentsize + " at offset 58 is not " + SHDR_SIZE);
        }
        if (shnum == 0) {
            // Extended numbering: the real count lives in section 0's sh_size.
            r.check(shoff, SHDR_SIZE, "section header 0");
            long real = r.u64(shoff + 32);
            if (real > MAX_SECTIONS) {
                throw r.malformed("section count " + real + " is implausible");
            }
            shnum = (int) real;
        }
        long shstrndx = r.u16(62);
        if (shstrndx == 0xffff) {
            // Extended numbering again: section 0's sh_link, a u32 that must stay unsigned.
            r.check(shoff, SHDR_SIZE, "section header 0");
            shstrndx = r.u32(shoff + 40);
        }
        r.check(shoff, (long) shnum * SHDR_SIZE, "section header table");
        if (shstrndx >= shnum) {
            throw r.malformed("section name table index " + shstrndx + " is not below the section count " + shnum);
        }
        long[][] raw = new long[shnum][];
        for (int i = 0; i < shnum; i++) {
            long h = shoff + (long) i * SHDR_SIZE;
            raw[i] = new long[]{r.u32(h), r.u32(h + 4), r.u64(h + 8), r.u64(h + 16), r.u64(h + 24),
                    r.u64(h + 32), r.u32(h + 40), r.u32(h + 44), r.u64(h + 48), r.u64(h + 56)};
        }
        long[] strHdr = raw[(int) shstrndx];
        if (strHdr[1] != ElfSection.SHT_STRTAB) {
            throw r.malformed("section " + shstrndx + " named as the section name table has type " + strHdr[1]);
        }
        ByteReader shstr = r.slice(strHdr[4], strHdr[5], "section name table");
        List<ElfSection> sections = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            long[] h = raw[i];
            String name = i == 0 ? "" : shstr.cString(h[0], "name of section " + i);
            ElfSection s = new ElfSection(i, name, (int) h[1], h[2], h[3], h[4], h[5], (int) h[6], (int) h[7],
                    h[8], h[9]);
            if (s.hasFileData()) {
                r.check(s.offset(), s.size(), "data of section " + i + " '" + name + "'");
            }
            // sh_link is unsigned: 0xffffffff must read as a section far past the end, not as -1.
            long link = Integer.toUnsignedLong(s.link());
            if (link >= shnum && (s.type() == ElfSection.SHT_SYMTAB || s.type() == ElfSection.SHT_REL
                    || s.type() == ElfSection.SHT_RELA)) {
                throw r.malformed("section " + i + " '" + name + "' links to section " + link
                        + ", which does not exist (" + shnum + " sections)");
            }
            sections.add(s);
        }
        List<ElfSymbol> symbols = readSymbols(r, sections);
        return new ElfFile(origin, r, type, machine, sections, symbols);
    }

    private static List<ElfSymbol> readSymbols(ByteReader r, List<ElfSection> sections) {
        ElfSection symtab = null;
        for (ElfSection s : sections) {
            if (s.type() == ElfSection.SHT_SYMTAB) {
                symtab = s;
                break;
            }
        }
        if (symtab == null) {
            return List.of();
        }
        if (symtab.entsize() != SYM_SIZE) {
            throw r.malformed("symbol table entry size " + symtab.entsize() + " is not " + SYM_SIZE);
        }
        ElfSection strtab = sections.get(symtab.link());
        if (strtab.type() != ElfSection.SHT_STRTAB) {
            throw r.malformed("symbol table links to section " + strtab.index() + ", which is not a string table");
        }
        ByteReader names = r.slice(strtab.offset(), strtab.size(), "symbol string table");
        ByteReader syms = r.slice(symtab.offset(), symtab.size(), "symbol table");
        int count = (int) (symtab.size() / SYM_SIZE);
        List<ElfSymbol> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long o = (long) i * SYM_SIZE;
            long nameOff = syms.u32(o);
            int info = syms.u8(o + 4);
            int other = syms.u8(o + 5);
            int shndx = syms.u16(o + 6);
            long value = syms.u64(o + 8);
            long size = syms.u64(o + 16);
            String name = names.cString(nameOff, "name of symbol " + i);
            out.add(new ElfSymbol(i, name, value, size, info >>> 4, info & 0xf, other, shndx));
        }
        return out;
    }

    public String origin() {
        return origin;
    }

    public ByteOrder byteOrder() {
        return reader.order();
    }

    public int fileType() {
        return fileType;
    }

    public int machine() {
        return machine;
    }

    public List<ElfSection> sections() {
        return sections;
    }

    public Optional<ElfSection> section(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public ElfSection section(int index) {
        if (index < 0 || index >= sections.size()) {
            throw reader.malformed("section index " + index + " does not exist ("
                    + Plural.of(sections.size(), "section") + ")");
        }
        return sections.get(index);
    }

    public List<ElfSymbol> symbols() {
        return symbols;
    }

    public ElfSymbol symbol(int index) {
        if (index < 0 || index >= symbols.size()) {
            throw reader.malformed("symbol index " + index + " does not exist ("
                    + Plural.of(symbols.size(), "symbol") + ")");
        }
        return symbols.get(index);
    }

    /** The bytes of a section (empty for NOBITS sections). */
    public byte[] data(ElfSection s) {
        return s.hasFileData() ? reader.bytes(s.offset(), s.size()) : new byte[0];
    }

    /** A bounds-checked reader over a section's bytes, in the file's byte order. */
    public ByteReader reader(ElfSection s) {
        return s.hasFileData() ? reader.slice(s.offset(), s.size(), "section '" + s.name() + "'")
                : reader.slice(0, 0, "section '" + s.name() + "'");
    }

    /** The relocations of a REL or RELA section, with symbol indexes checked against the symbol table. */
    public List<ElfRelocation> relocations(ElfSection rel) {
        boolean rela = rel.type() == ElfSection.SHT_RELA;
        if (!rela && rel.type() != ElfSection.SHT_REL) {
            throw reader.malformed("section '" + rel.name() + "' is not a relocation section");
        }
        int entSize = rela ? 24 : 16;
        ByteReader r = reader(rel);
        int count = (int) (rel.size() / entSize);
        List<ElfRelocation> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long o = (long) i * entSize;
            long offset = r.u64(o);
            long info = r.u64(o + 8);
            long addend = rela ? r.u64(o + 16) : 0;
            int sym = (int) (info >>> 32);
            if (sym >= symbols.size()) {
                throw reader.malformed("relocation " + i + " of '" + rel.name() + "' refers to symbol " + sym
                        + ", which does not exist");
            }
            out.add(new ElfRelocation(offset, sym, (int) info, addend));
        }
        return out;
    }
}
