package dev.bee.core.elf;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ELF64 reader on files written byte by byte: sections, symbols and relocations in either byte order,
 * extended section numbering, and for each corrupt field the one-line input error that names it.
 */
class ElfFileTest {
    private static final byte[] TEXT = {(byte) 0xb7, 0, 0, 0, 0, 0, 0, 0, (byte) 0x95, 0, 0, 0, 0, 0, 0, 0};
    private static final int TEXT_SECTION = 1;
    private static final int STRTAB = 4;
    private static final int SYMTAB = 5;
    private static final int REL = 6;
    private static final int RELA = 7;
    private static final int SHSTRTAB = 8;
    private static final int SECTIONS = 9;

    /** .text, .data, .bss, .strtab, .symtab, .rel.text, .rela.text, .shstrtab. */
    private static ElfImage standard(ByteOrder order) {
        ElfImage e = new ElfImage(order);
        e.add(".text", ElfSection.SHT_PROGBITS, ElfSection.SHF_ALLOC | ElfSection.SHF_EXECINSTR, TEXT, 0, 0, 0);
        e.add(".data", ElfSection.SHT_PROGBITS, ElfSection.SHF_ALLOC | ElfSection.SHF_WRITE,
                "abcd".getBytes(StandardCharsets.US_ASCII), 0, 0, 0);
        e.addNobits(".bss", 32);
        List<Integer> names = new ArrayList<>();
        e.add(".strtab", ElfSection.SHT_STRTAB, 0, ElfImage.strings(names, "handle", "counter"), 0, 0, 0);
        e.add(".symtab", ElfSection.SHT_SYMTAB, 0, ElfImage.concat(new byte[24],
                e.symbol(names.get(0), ElfSymbol.STB_GLOBAL, ElfSymbol.STT_FUNC, TEXT_SECTION, 0, 16),
                e.symbol(names.get(1), ElfSymbol.STB_LOCAL, ElfSymbol.STT_OBJECT, 2, 0, 4)), STRTAB, 1, 24);
        e.add(".rel.text", ElfSection.SHT_REL, 0, e.relocation(8, 2, 1, null), SYMTAB, TEXT_SECTION, 16);
        e.add(".rela.text", ElfSection.SHT_RELA, 0, e.relocation(0, 1, 10, -8L), SYMTAB, TEXT_SECTION, 24);
        return e;
    }

    private static ElfFile parse(byte[] bytes) {
        return ElfFile.parse("t.o", bytes);
    }

    /** The standard file with one edit made to its bytes. */
    private static byte[] edited(Consumer<EditContext> edit) {
        ElfImage e = standard(ByteOrder.LITTLE_ENDIAN);
        byte[] bytes = e.build();
        edit.accept(new EditContext(e, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)));
        return bytes;
    }

    private record EditContext(ElfImage image, ByteBuffer b) {
        int header(int section) {
            return image.headerAt.get(section);
        }
    }

    private static String fails(byte[] bytes) {
        BeeException e = assertThrows(BeeException.class, () -> parse(bytes));
        assertEquals(ErrorKind.INPUT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().startsWith("t.o: "), e.getMessage());
        return e.getMessage().substring("t.o: ".length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
    void sectionsSymbolsAndRelocationsAreReadInTheFilesByteOrder(String orderName) {
        ByteOrder order = orderName.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        ElfFile elf = parse(standard(order).build());
        assertEquals(order, elf.byteOrder());
        assertEquals("t.o", elf.origin());
        assertEquals(ElfFile.ET_REL, elf.fileType());
        assertEquals(ElfFile.EM_BPF, elf.machine());
        assertEquals(List.of("", ".text", ".data", ".bss", ".strtab", ".symtab", ".rel.text", ".rela.text", ".shstrtab"),
                elf.sections().stream().map(ElfSection::name).toList());

        ElfSection text = elf.section(".text").orElseThrow();
        assertEquals(TEXT_SECTION, text.index());
        assertTrue(text.isExecutable());
        assertArrayEquals(TEXT, elf.data(text));
        assertEquals(TEXT.length, elf.reader(text).length());
        assertFalse(elf.section(".data").orElseThrow().isExecutable());
        assertArrayEquals("abcd".getBytes(StandardCharsets.US_ASCII), elf.data(elf.section(2)));
        ElfSection bss = elf.section(".bss").orElseThrow();
        assertFalse(bss.hasFileData());
        assertEquals(32, bss.size());
        assertArrayEquals(new byte[0], elf.data(bss), "NOBITS has no bytes in the file");
        assertTrue(elf.section(".nope").isEmpty());

        assertEquals(3, elf.symbols().size());
        ElfSymbol handle = elf.symbol(1);
        assertEquals(new ElfSymbol(1, "handle", 0, 16, ElfSymbol.STB_GLOBAL, ElfSymbol.STT_FUNC, 0, TEXT_SECTION),
                handle);
        assertTrue(handle.isFunction());
        assertTrue(handle.isGlobal());
        ElfSymbol counter = elf.symbol(2);
        assertEquals("counter", counter.name());
        assertFalse(counter.isFunction());
        assertFalse(counter.isGlobal());
        assertEquals(2, counter.sectionIndex());

        assertEquals(List.of(new ElfRelocation(8, 2, 1, 0)), elf.relocations(elf.section(REL)));
        assertEquals(List.of(new ElfRelocation(0, 1, 10, -8)), elf.relocations(elf.section(RELA)));
    }

    @Test
    void aFileWithoutSectionsIsEmpty() {
        byte[] bytes = edited(c -> c.b().putLong(40, 0).putShort(60, (short) 0));
        ElfFile elf = parse(bytes);
        assertEquals(List.of(), elf.sections());
        assertEquals(List.of(), elf.symbols());
    }

    @Test
    void extendedNumberingTakesTheCountsFromSectionZero() {
        byte[] bytes = edited(c -> {
            c.b().putShort(60, (short) 0).putShort(62, (short) 0xffff);
            c.b().putLong(c.header(0) + 32, SECTIONS).putInt(c.header(0) + 40, SHSTRTAB);
        });
        ElfFile elf = parse(bytes);
        assertEquals(SECTIONS, elf.sections().size());
        assertEquals(".shstrtab", elf.section(SHSTRTAB).name());
        assertEquals(3, elf.symbols().size());
    }

    @Test
    void whatIsNotElf64IsRefusedAtItsFirstBytes() {
        assertEquals("not an ELF file (no \\x7fELF magic at offset 0)", fails("#!/bin/sh\necho hi\n".getBytes()));
        assertEquals("not an ELF file (no \\x7fELF magic at offset 0)", fails(new byte[]{0x7f, 'E', 'L', 'F'}));
        assertEquals("ELF class 1 at offset 4 is not ELF64; eBPF objects are 64-bit",
                fails(edited(c -> c.b().put(4, (byte) 1))));
        assertEquals("unknown ELF data encoding 3 at offset 5", fails(edited(c -> c.b().put(5, (byte) 3))));
        byte[] truncated = Arrays.copyOf(standard(ByteOrder.LITTLE_ENDIAN).build(), 40);
        assertEquals("ELF header at offset 0 (size 64) lies outside the 40 bytes available", fails(truncated));
    }

    @Test
    void aBadSectionHeaderTableIsNamed() {
        assertEquals("section header size 40 at offset 58 is not 64",
                fails(edited(c -> c.b().putShort(58, (short) 40))));
        byte[] bytes = standard(ByteOrder.LITTLE_ENDIAN).build();
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 10);
        assertTrue(fails(cut).startsWith("section header table at offset "), fails(cut));
        assertEquals("section name table index 9 is not below the section count 9",
                fails(edited(c -> c.b().putShort(62, (short) SECTIONS))));
        assertEquals("section 1 named as the section name table has type 1",
                fails(edited(c -> c.b().putShort(62, (short) TEXT_SECTION))));
        assertEquals("section count 70000 is implausible", fails(edited(c -> {
            c.b().putShort(60, (short) 0);
            c.b().putLong(c.header(0) + 32, 70_000);
        })));
    }

    @Test
    void sectionContentsAndNamesMustLieInTheFile() {
        assertTrue(fails(edited(c -> c.b().putLong(c.header(TEXT_SECTION) + 24, 1 << 20)))
                .startsWith("data of section 1 '.text' at offset 1048576 (size 16) lies outside the "));
        assertTrue(fails(edited(c -> c.b().putLong(c.header(2) + 32, -1L)))
                .startsWith("data of section 2 '.data' at offset "));
        assertTrue(fails(edited(c -> c.b().putInt(c.header(TEXT_SECTION), 1 << 20)))
                .startsWith("name of section 1 at offset 1048576 (size 0) lies outside the "));
    }

    @Test
    void linksToSectionsThatDoNotExistAreInputErrors() {
        // The fault run's case: sh_link 0xffffffff once read as -1 and ended in IndexOutOfBounds.
        assertEquals("section 5 '.symtab' links to section 4294967295, which does not exist (9 sections)",
                fails(edited(c -> c.b().putInt(c.header(SYMTAB) + 40, -1))));
        assertEquals("section 6 '.rel.text' links to section 9, which does not exist (9 sections)",
                fails(edited(c -> c.b().putInt(c.header(REL) + 40, SECTIONS))));
        assertEquals("symbol table links to section 1, which is not a string table",
                fails(edited(c -> c.b().putInt(c.header(SYMTAB) + 40, TEXT_SECTION))));
    }

    @Test
    void aBadSymbolTableIsNamed() {
        assertEquals("symbol table entry size 16 is not 24",
                fails(edited(c -> c.b().putLong(c.header(SYMTAB) + 56, 16))));
        assertTrue(fails(edited(c -> c.b().putInt(c.image().dataAt.get(SYMTAB) + 24, 1 << 20)))
                .startsWith("name of symbol 1 at offset 1048576 "));
    }

    @Test
    void relocationsAreCheckedWhenRead() {
        ElfFile elf = parse(edited(c -> c.b().putInt(c.image().dataAt.get(REL) + 12, 7)));
        BeeException e = assertThrows(BeeException.class, () -> elf.relocations(elf.section(REL)));
        assertEquals(ErrorKind.INPUT, e.kind());
        assertEquals("t.o: relocation 0 of '.rel.text' refers to symbol 7, which does not exist", e.getMessage());
        e = assertThrows(BeeException.class, () -> elf.relocations(elf.section(TEXT_SECTION)));
        assertEquals("t.o: section '.text' is not a relocation section", e.getMessage());
    }

    @Test
    void indexesOutOfRangeAreInputErrors() {
        ElfFile elf = parse(standard(ByteOrder.LITTLE_ENDIAN).build());
        BeeException e = assertThrows(BeeException.class, () -> elf.section(99));
        assertEquals(ErrorKind.INPUT, e.kind());
        assertEquals("t.o: section index 99 does not exist (9 sections)", e.getMessage());
        assertEquals("t.o: section index -1 does not exist (9 sections)",
                assertThrows(BeeException.class, () -> elf.section(-1)).getMessage());
        assertEquals("t.o: symbol index 3 does not exist (3 symbols)",
                assertThrows(BeeException.class, () -> elf.symbol(3)).getMessage());
    }

    @Test
    void theEditorReplacesRetypesRenamesAndMovesWithoutMovingAnythingElse() {
        byte[] original = standard(ByteOrder.BIG_ENDIAN).build();
        ElfFile elf = parse(original);
        ElfEditor editor = new ElfEditor(elf, original);
        editor.replaceData(2, "wxyz1234".getBytes(StandardCharsets.US_ASCII));
        editor.rename(2, ".data.edited");
        editor.setType(3, ElfSection.SHT_PROGBITS);
        editor.setSize(3, 0);
        editor.moveSymbol(2, 3, 24);
        byte[] bytes = editor.toBytes();

        ElfFile edited = parse(bytes);
        ElfSection data = edited.section(2);
        assertEquals(".data.edited", data.name());
        assertArrayEquals("wxyz1234".getBytes(StandardCharsets.US_ASCII), edited.data(data));
        assertTrue(data.offset() >= original.length && data.offset() % 8 == 0, "appended, aligned");
        assertEquals(ElfSection.SHT_PROGBITS, edited.section(3).type());
        assertEquals(0, edited.section(3).size());
        assertEquals(3, edited.symbol(2).sectionIndex());
        assertEquals(24, edited.symbol(2).value());
        assertArrayEquals(TEXT, edited.data(edited.section(TEXT_SECTION)), "the rest stays where it was");
        assertEquals(".data", parse(original).section(2).name(), "the original bytes are not changed");
    }
}
