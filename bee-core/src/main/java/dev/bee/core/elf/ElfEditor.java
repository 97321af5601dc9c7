package dev.bee.core.elf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Small, safe edits to a parsed ELF64 file: replace a section's bytes, retype or rename a section,
 * move a symbol. Replaced data is appended at the end of the file (ELF lets section data live
 * anywhere), so nothing else moves and every other offset stays valid.
 */
public final class ElfEditor {
    private static final int SHDR_SIZE = 64;
    private static final int SYM_SIZE = 24;
    private final ElfFile elf;
    private final ByteBuffer image;
    private final ByteArrayOutputStream tail = new ByteArrayOutputStream();
    private final long shoff;
    private final int shstrndx;
    private byte[] shstrtab;

    public ElfEditor(ElfFile elf, byte[] original) {
        this.elf = elf;
        this.image = ByteBuffer.wrap(original.clone()).order(elf.byteOrder());
        this.shoff = image.getLong(40);
        int idx = image.getShort(62) & 0xffff;
        this.shstrndx = idx == 0xffff ? (int) image.getInt((int) shoff + 40) : idx;
        ElfSection names = elf.section(shstrndx);
        this.shstrtab = elf.data(names);
    }

    /** Gives section {@code index} new contents (PROGBITS data appended to the file). */
    public void replaceData(int index, byte[] data) {
        long end = image.capacity() + tail.size();
        long aligned = (end + 7) & ~7L;
        tail.writeBytes(new byte[(int) (aligned - end)]);
        tail.writeBytes(data);
        long h = shoff + (long) index * SHDR_SIZE;
        image.putLong((int) h + 24, aligned);
        image.putLong((int) h + 32, data.length);
    }

    public void setType(int index, int type) {
        image.putInt((int) (shoff + (long) index * SHDR_SIZE + 4), type);
    }

    public void setSize(int index, long size) {
        image.putLong((int) (shoff + (long) index * SHDR_SIZE + 32), size);
    }

    /** Renames a section by adding the new name to the section name table. */
    public void rename(int index, String name) {
        byte[] add = (name + "\0").getBytes(StandardCharsets.UTF_8);
        int off = shstrtab.length;
        byte[] grown = new byte[shstrtab.length + add.length];
        System.arraycopy(shstrtab, 0, grown, 0, shstrtab.length);
        System.arraycopy(add, 0, grown, off, add.length);
        shstrtab = grown;
        replaceData(shstrndx, shstrtab);
        image.putInt((int) (shoff + (long) index * SHDR_SIZE), off);
    }

    /** Points symbol {@code symIndex} at {@code value} in section {@code sectionIndex}. */
    public void moveSymbol(int symIndex, int sectionIndex, long value) {
        ElfSection symtab = elf.sections().stream().filter(s -> s.type() == ElfSection.SHT_SYMTAB).findFirst()
                .orElseThrow();
        int e = (int) (symtab.offset() + (long) symIndex * SYM_SIZE);
        image.putShort(e + 6, (short) sectionIndex);
        image.putLong(e + 8, value);
    }

    public byte[] toBytes() {
        byte[] head = image.array();
        byte[] t = tail.toByteArray();
        byte[] out = new byte[head.length + t.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(t, 0, out, head.length, t.length);
        return out;
    }
}
