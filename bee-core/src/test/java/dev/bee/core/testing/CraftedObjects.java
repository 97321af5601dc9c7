package dev.bee.core.testing;

import dev.bee.core.btf.Btf;
import dev.bee.core.btf.BtfKind;
import dev.bee.core.btf.BtfReader;
import dev.bee.core.btf.BtfType;
import dev.bee.core.elf.ElfFile;
import dev.bee.core.elf.ElfSection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;

/**
 * The malformed objects a fault run crafted against bee, rebuilt by editing bytes of the compiled
 * {@code opensnoop} example (its {@code .rodata} holds the global {@code target_pid}, its BTF a zero-length
 * {@code char[0]} and the {@code char[4]} of {@code LICENSE}). Shared by the core and CLI regression tests.
 */
public final class CraftedObjects {
    private static final long U32_MAX = 0xffff_ffffL;
    private static final int ARRAY_ELEM = 12;
    private static final int ARRAY_NELEMS = 20;
    private static final int INT_ENCODING = 12;

    private CraftedObjects() {
    }

    /** The global {@code target_pid} typed as an array of 2^32-1 zero-size elements ({@code char[0]}). */
    public static byte[] zeroSizeElements() {
        return zeroSizeElements(false);
    }

    /**
     * The same, and when {@code consistentSection} the {@code .rodata} entry for {@code target_pid} also
     * says 0 bytes, so that nothing but the array itself is wrong.
     */
    public static byte[] zeroSizeElements(boolean consistentSection) {
        byte[] bytes = opensnoop();
        Btf btf = btf(bytes);
        BtfRecords records = new BtfRecords(bytes);
        int array = licenseArray(btf);
        int zeroLength = records.find(3, id -> records.word(id, ARRAY_NELEMS) == 0);
        records.setWord(array, ARRAY_ELEM, zeroLength);
        records.setWord(array, ARRAY_NELEMS, U32_MAX);
        int targetPid = btf.find(BtfKind.VAR, "target_pid").orElseThrow();
        records.setWord(targetPid, BtfRecords.SIZE_OR_TYPE, array);
        if (consistentSection) {
            int rodata = btf.find(BtfKind.DATASEC, ".rodata").orElseThrow();
            BtfType.Datasec ds = (BtfType.Datasec) btf.type(rodata);
            for (int i = 0; i < ds.vars().size(); i++) {
                if (ds.vars().get(i).type() == targetPid) {
                    records.setWord(rodata, 12 + 12 * i + 8, 0);
                }
            }
        }
        return bytes;
    }

    /** An array of 2^32-1 elements of 2^32-1 bytes each (struct args_t grown to 4 GiB). */
    public static byte[] hugeArray() {
        byte[] bytes = opensnoop();
        Btf btf = btf(bytes);
        BtfRecords records = new BtfRecords(bytes);
        int struct = btf.find(BtfKind.STRUCT, "args_t").orElseThrow();
        records.setWord(struct, BtfRecords.SIZE_OR_TYPE, U32_MAX);
        int array = licenseArray(btf);
        records.setWord(array, ARRAY_ELEM, struct);
        records.setWord(array, ARRAY_NELEMS, U32_MAX);
        return bytes;
    }

    /** The symbol table's {@code sh_link} (its string table) set to 0xffffffff. */
    public static byte[] symtabLinkMissing() {
        byte[] bytes = opensnoop();
        ElfFile elf = ElfFile.parse("opensnoop.o", bytes);
        ElfSection symtab = elf.sections().stream().filter(s -> s.type() == ElfSection.SHT_SYMTAB).findFirst()
                .orElseThrow();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) (b.getLong(40) + 64L * symtab.index() + 40), (int) U32_MAX);
        return bytes;
    }

    /** The signed {@code int} with nr_bits 0. */
    public static byte[] intOfZeroBits() {
        byte[] bytes = opensnoop();
        Btf btf = btf(bytes);
        BtfRecords records = new BtfRecords(bytes);
        int id = btf.find(BtfKind.INT, "int").orElseThrow();
        records.setWord(id, INT_ENCODING, records.word(id, INT_ENCODING) & ~0xffL);
        return bytes;
    }

    /**
     * The global {@code target_pid}'s BTF VAR named {@code args_t} (a struct's name), which no ELF symbol has:
     * bee reads the object (a global args_t), libbpf cannot place the variable and refuses to open it, on
     * libbpf 1.1 with ENOENT and a reason logged only at debug level.
     */
    public static byte[] varWithoutSymbol() {
        byte[] bytes = opensnoop();
        Btf btf = btf(bytes);
        BtfRecords records = new BtfRecords(bytes);
        int var = btf.find(BtfKind.VAR, "target_pid").orElseThrow();
        int struct = btf.find(BtfKind.STRUCT, "args_t").orElseThrow();
        records.setWord(var, 0, records.word(struct, 0));
        return bytes;
    }

    private static int licenseArray(Btf btf) {
        return ((BtfType.Var) btf.type(btf.find(BtfKind.VAR, "LICENSE").orElseThrow())).type();
    }

    private static Btf btf(byte[] object) {
        ElfFile elf = ElfFile.parse("opensnoop.o", object);
        return BtfReader.read("opensnoop.o", elf.data(elf.section(".BTF").orElseThrow()));
    }

    private static byte[] opensnoop() {
        try {
            return Files.readAllBytes(Examples.object("opensnoop"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
