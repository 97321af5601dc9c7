package dev.bee.core.elf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ELF64 files by hand for unit tests: an ELF header, each section's bytes (8-aligned), a
 * section name table added last, then the section header table. Offsets of the parts are kept so tests
 * can corrupt exactly one field.
 */
final class ElfImage {
    static final int SHDR = 64;

    /** One section as its header gives it; {@code data} is null for NOBITS (then {@code size} counts). */
    record Section(String name, int type, long flags, byte[] data, long size, int link, int info, long entsize) {
    }

    private final ByteOrder order;
    private final List<Section> sections = new ArrayList<>();
    /** Where each section's header starts in the file built last. */
    final List<Integer> headerAt = new ArrayList<>();
    final List<Integer> dataAt = new ArrayList<>();
    int shoff;

    ElfImage(ByteOrder order) {
        this.order = order;
        sections.add(new Section("", ElfSection.SHT_NULL, 0, new byte[0], 0, 0, 0, 0));
    }

    /** Adds a section; returns its index. */
    int add(String name, int type, long flags, byte[] data, int link, int info, long entsize) {
        sections.add(new Section(name, type, flags, data, data == null ? 0 : data.length, link, info, entsize));
        return sections.size() - 1;
    }

    int addNobits(String name, long size) {
        sections.add(new Section(name, ElfSection.SHT_NOBITS, ElfSection.SHF_ALLOC | ElfSection.SHF_WRITE, null, size,
                0, 0, 0));
        return sections.size() - 1;
    }

    /** The index the section name table will have. */
    int shstrndx() {
        return sections.size();
    }

    ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(order);
    }

    /** A string table: NUL, then each string NUL-terminated; {@code offsets} receives where each starts. */
    static byte[] strings(List<Integer> offsets, String... names) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        for (String n : names) {
            offsets.add(out.size());
            out.writeBytes((n + "\0").getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** A symbol table entry. */
    byte[] symbol(int name, int bind, int type, int shndx, long value, long size) {
        return buffer(24).putInt(name).put((byte) (bind << 4 | type)).put((byte) 0).putShort((short) shndx)
                .putLong(value).putLong(size).array();
    }

    /** A REL (16 bytes) or, with an addend, RELA (24 bytes) entry. */
    byte[] relocation(long offset, int symbol, int type, Long addend) {
        ByteBuffer b = buffer(addend == null ? 16 : 24).putLong(offset).putLong((long) symbol << 32 | type);
        if (addend != null) {
            b.putLong(addend);
        }
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    byte[] build() {
        List<Section> all = new ArrayList<>(sections);
        List<Integer> nameOffsets = new ArrayList<>();
        String[] names = new String[all.size() + 1];
        for (int i = 0; i < all.size(); i++) {
            names[i] = all.get(i).name();
        }
        names[all.size()] = ".shstrtab";
        byte[] shstrtab = strings(nameOffsets, names);
        all.add(new Section(".shstrtab", ElfSection.SHT_STRTAB, 0, shstrtab, shstrtab.length, 0, 0, 0));

        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[64]);
        dataAt.clear();
        for (Section s : all) {
            while (body.size() % 8 != 0) {
                body.write(0);
            }
            dataAt.add(s.data() == null || s.type() == ElfSection.SHT_NULL ? 0 : body.size());
            if (s.data() != null) {
                body.writeBytes(s.data());
            }
        }
        while (body.size() % 8 != 0) {
            body.write(0);
        }
        shoff = body.size();
        ByteBuffer b = buffer(shoff + SHDR * all.size());
        b.put(body.toByteArray());
        headerAt.clear();
        for (int i = 0; i < all.size(); i++) {
            Section s = all.get(i);
            int h = shoff + SHDR * i;
            headerAt.add(h);
            b.position(h);
            b.putInt(i == 0 ? 0 : nameOffsets.get(i)).putInt(s.type()).putLong(s.flags()).putLong(0)
                    .putLong(dataAt.get(i)).putLong(s.size()).putInt(s.link()).putInt(s.info()).putLong(8)
                    .putLong(s.entsize());
        }
        b.put(0, (byte) 0x7f).put(1, (byte) 'E').put(2, (byte) 'L').put(3, (byte) 'F');
        b.put(4, (byte) 2).put(5, (byte) (order == ByteOrder.LITTLE_ENDIAN ? 1 : 2)).put(6, (byte) 1);
        b.putShort(16, (short) ElfFile.ET_REL).putShort(18, (short) ElfFile.EM_BPF).putInt(20, 1);
        b.putLong(40, shoff).putShort(52, (short) 64).putShort(58, (short) SHDR).putShort(60, (short) all.size())
                .putShort(62, (short) (all.size() - 1));
        return b.array();
    }
}
