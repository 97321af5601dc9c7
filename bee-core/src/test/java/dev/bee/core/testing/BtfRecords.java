package dev.bee.core.testing;

import dev.bee.core.elf.ElfFile;
import dev.bee.core.elf.ElfSection;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each BTF type record of a little-endian object lies in the file, so tests can edit a type's raw
 * fields (kind, vlen, size, referenced ids, array lengths, int encodings) in place. Found by walking the
 * raw records, not through the reader under test.
 */
public final class BtfRecords {
    /** Record header words: name offset, info (kind, vlen, kflag), size or type. */
    public static final int INFO = 4;
    public static final int SIZE_OR_TYPE = 8;

    private final ByteBuffer file;
    /** File offset of each type's record, by type id (index 0, void, has none). */
    private final List<Integer> offsets = new ArrayList<>();

    public BtfRecords(byte[] object) {
        this.file = ByteBuffer.wrap(object).order(ByteOrder.LITTLE_ENDIAN);
        ElfFile elf = ElfFile.parse("btf-records", object);
        ElfSection btf = elf.section(".BTF").orElseThrow(() -> new IllegalArgumentException("no .BTF section"));
        int base = (int) btf.offset();
        int hdrLen = file.getInt(base + 4);
        int types = base + hdrLen + file.getInt(base + 8);
        int end = types + file.getInt(base + 12);
        offsets.add(-1);
        // Records of a damaged object may claim to run past the file: those and any after them are left out.
        for (int off = types; off < end && off + 12 <= object.length; off += 12 + extra(file.getInt(off + INFO))) {
            if (off + 12 + extra(file.getInt(off + INFO)) > object.length) {
                break;
            }
            offsets.add(off);
        }
    }

    /** Bytes a record appends to its 12-byte header, by kind and vlen. */
    private static int extra(int info) {
        int vlen = info & 0xffff;
        return switch ((info >>> 24) & 0x1f) {
            case 1, 14, 17 -> 4; // INT, VAR, DECL_TAG
            case 3 -> 12; // ARRAY
            case 4, 5, 15, 19 -> 12 * vlen; // STRUCT, UNION, DATASEC, ENUM64
            case 6, 13 -> 8 * vlen; // ENUM, FUNC_PROTO
            default -> 0;
        };
    }

    /** Number of type ids, void included. */
    public int count() {
        return offsets.size();
    }

    /** File offset of type {@code id}'s record. */
    public int offset(int id) {
        return offsets.get(id);
    }

    public int kind(int id) {
        return (file.getInt(offset(id) + INFO) >>> 24) & 0x1f;
    }

    public int vlen(int id) {
        return file.getInt(offset(id) + INFO) & 0xffff;
    }

    /** The 32-bit word at byte {@code at} of type {@code id}'s record. */
    public long word(int id, int at) {
        return file.getInt(offset(id) + at) & 0xffffffffL;
    }

    public void setWord(int id, int at, long value) {
        file.putInt(offset(id) + at, (int) value);
    }

    /** The first type of {@code kind} for which {@code test} holds, or -1. */
    public int find(int kind, java.util.function.IntPredicate test) {
        for (int id = 1; id < count(); id++) {
            if (kind(id) == kind && test.test(id)) {
                return id;
            }
        }
        return -1;
    }
}
