package dev.bee.core.btf;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.Plural;
import dev.bee.core.io.ByteReader;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses raw BTF (an object's {@code .BTF} section, {@code /sys/kernel/btf/vmlinux}, or a module's
 * split BTF on top of a base) into a {@link Btf}. Every offset, count and type reference is checked.
 */
public final class BtfReader {
    public static final int MAGIC = 0xeB9F;
    public static final Path KERNEL_BTF = Path.of("/sys/kernel/btf/vmlinux");
    /** vmlinux has ~150k types; bound the count so garbage cannot exhaust memory. */
    private static final int MAX_VLEN = 0xffff;

    private BtfReader() {
    }

    /** Reads BTF whose byte order is found from its magic. */
    public static Btf read(String origin, byte[] data) {
        return read(origin, data, null);
    }

    /** Reads split BTF whose type ids and string offsets continue those of {@code base} (may be null). */
    public static Btf read(String origin, byte[] data, Btf base) {
        ByteReader r = new ByteReader(origin, data, ByteOrder.LITTLE_ENDIAN);
        if (data.length < 24) {
            throw r.malformed("BTF data is only " + Plural.of(data.length, "byte") + "; the header alone needs 24");
        }
        if (r.u16(0) != MAGIC) {
            r = r.withOrder(ByteOrder.BIG_ENDIAN);
            if (r.u16(0) != MAGIC) {
                throw r.malformed("no BTF magic 0xeb9f at offset 0");
            }
        }
        int version = r.u8(2);
        if (version != 1) {
            throw r.malformed("BTF version " + version + " at offset 2 is not supported (expected 1)");
        }
        long hdrLen = r.u32(4);
        if (hdrLen < 24) {
            throw r.malformed("BTF header length " + hdrLen + " at offset 4 is below 24");
        }
        r.check(0, hdrLen, "BTF header");
        long typeOff = r.u32(8);
        long typeLen = r.u32(12);
        long strOff = r.u32(16);
        long strLen = r.u32(20);
        ByteReader types = r.slice(hdrLen + typeOff, typeLen, "BTF type section");
        ByteReader strings = r.slice(hdrLen + strOff, strLen, "BTF string section");
        if (base == null && strLen > 0 && strings.u8(0) != 0) {
            throw r.malformed("BTF string section at offset " + (hdrLen + strOff) + " does not start with NUL");
        }
        Strings names = new Strings(strings, base);
        List<BtfType> out = new ArrayList<>();
        int firstId = base == null ? 1 : base.count();
        if (base == null) {
            out.add(new BtfType.Void());
        }
        long off = 0;
        while (off < typeLen) {
            int id = firstId + out.size() - (base == null ? 1 : 0);
            long start = off;
            String name = names.get(types.u32(off), id);
            long info = types.u32(off + 4);
            long sizeOrType = types.u32(off + 8);
            off += 12;
            int vlen = (int) (info & MAX_VLEN);
            int kindId = (int) ((info >>> 24) & 0x1f);
            boolean kflag = (info >>> 31) != 0;
            BtfKind kind = BtfKind.of(kindId);
            if (kind == null || kind == BtfKind.VOID) {
                throw types.malformed("BTF type " + id + " at type offset " + start + " has unknown kind " + kindId);
            }
            int ref = (int) Math.min(sizeOrType, Integer.MAX_VALUE);
            BtfType t;
            switch (kind) {
                case INT -> {
                    long enc = types.u32(off);
                    off += 4;
                    int encoding = (int) ((enc >>> 24) & 0xf);
                    t = checkInt(types, new BtfType.Int(name, (int) Math.min(sizeOrType, Integer.MAX_VALUE),
                            (encoding & 1) != 0, (encoding & 2) != 0, (encoding & 4) != 0, (int) ((enc >>> 16) & 0xff),
                            (int) (enc & 0xff)), id);
                }
                case PTR -> t = new BtfType.Ptr(ref);
                case ARRAY -> {
                    t = new BtfType.Array(types.u32AsInt(off, "array element type"),
                            types.u32AsInt(off + 4, "array index type"), types.u32(off + 8));
                    off += 12;
                }
                case STRUCT, UNION -> {
                    List<BtfType.Member> members = new ArrayList<>(vlen);
                    for (int i = 0; i < vlen; i++) {
                        String mname = names.get(types.u32(off), id);
                        int mtype = types.u32AsInt(off + 4, "member type");
                        long moff = types.u32(off + 8);
                        off += 12;
                        members.add(kflag
                                ? new BtfType.Member(mname, mtype, moff & 0xffffff, (int) (moff >>> 24))
                                : new BtfType.Member(mname, mtype, moff, 0));
                    }
                    t = new BtfType.Struct(name, kind == BtfKind.UNION, sizeOrType, List.copyOf(members));
                }
                case ENUM -> {
                    List<BtfType.EnumValue> values = new ArrayList<>(vlen);
                    for (int i = 0; i < vlen; i++) {
                        String vname = names.get(types.u32(off), id);
                        long v = kflag ? types.s32(off + 4) : types.u32(off + 4);
                        off += 8;
                        values.add(new BtfType.EnumValue(vname, v));
                    }
                    t = new BtfType.Enum(name, checkSize(types, sizeOrType, id), kflag, false, List.copyOf(values));
                }
                case ENUM64 -> {
                    List<BtfType.EnumValue> values = new ArrayList<>(vlen);
                    for (int i = 0; i < vlen; i++) {
                        String vname = names.get(types.u32(off), id);
                        long v = (types.u32(off + 8) << 32) | types.u32(off + 4);
                        off += 12;
                        values.add(new BtfType.EnumValue(vname, v));
                    }
                    t = new BtfType.Enum(name, checkSize(types, sizeOrType, id), kflag, true, List.copyOf(values));
                }
                case FWD -> t = new BtfType.Fwd(name, kflag);
                case TYPEDEF -> t = new BtfType.Typedef(name, ref);
                case VOLATILE, CONST, RESTRICT, TYPE_TAG -> t = new BtfType.Modifier(kind, name, ref);
                case FUNC -> t = new BtfType.Func(name, ref, vlen);
                case FUNC_PROTO -> {
                    List<BtfType.Param> params = new ArrayList<>(vlen);
                    for (int i = 0; i < vlen; i++) {
                        params.add(new BtfType.Param(names.get(types.u32(off), id),
                                types.u32AsInt(off + 4, "parameter type")));
                        off += 8;
                    }
                    t = new BtfType.FuncProto(ref, List.copyOf(params));
                }
                case VAR -> {
                    t = new BtfType.Var(name, ref, (int) types.u32(off));
                    off += 4;
                }
                case DATASEC -> {
                    List<BtfType.SectionVar> vars = new ArrayList<>(vlen);
                    for (int i = 0; i < vlen; i++) {
                        vars.add(new BtfType.SectionVar(types.u32AsInt(off, "section variable type"),
                                types.u32(off + 4), types.u32(off + 8)));
                        off += 12;
                    }
                    t = new BtfType.Datasec(name, sizeOrType, List.copyOf(vars));
                }
                case FLOAT -> t = new BtfType.Float(name, checkSize(types, sizeOrType, id));
                case DECL_TAG -> {
                    t = new BtfType.DeclTag(name, ref, types.s32(off));
                    off += 4;
                }
                default -> throw new IllegalStateException(kind.toString());
            }
            if (off > typeLen) {
                throw types.malformed("BTF type " + id + " at type offset " + start + " runs past the end of the type section");
            }
            out.add(t);
        }
        Btf btf = new Btf(origin, base, out);
        btf.setStrings(strings.bytes(0, strings.length()));
        new BtfValidator(btf, types).validate();
        return btf;
    }

    /** Reads the running kernel's BTF. */
    static Btf readKernel() {
        return readFile(KERNEL_BTF, null);
    }

    /** Reads a BTF file, for example a kernel module's split BTF on top of {@code base}. */
    public static Btf readFile(Path path, Btf base) {
        try {
            return read(path.toString(), Files.readAllBytes(path), base);
        } catch (NoSuchFileException e) {
            throw new BeeException(ErrorKind.NOT_FOUND, path + " does not exist",
                    "the kernel needs CONFIG_DEBUG_INFO_BTF=y; or pass a vmlinux.h with --vmlinux");
        } catch (IOException e) {
            throw new BeeException(ErrorKind.INPUT, "cannot read " + path + ": " + e.getMessage(),
                    "run bee as root or check the file's permissions", e);
        }
    }

    /**
     * The kernel's rules for an int: 1, 2, 4, 8 or 16 bytes, 1 to 128 bits, all inside its bytes. Decoding
     * relies on them (an int of 0 bits has no sign bit to read).
     */
    private static BtfType.Int checkInt(ByteReader r, BtfType.Int i, int id) {
        int size = i.size();
        if (size != 1 && size != 2 && size != 4 && size != 8 && size != 16) {
            throw r.malformed("BTF int type " + id + " has size " + size + "; an int has 1, 2, 4, 8 or 16 bytes");
        }
        if (i.bits() < 1 || i.bits() > 128 || i.bitOffset() + i.bits() > size * 8) {
            throw r.malformed("BTF int type " + id + " has " + i.bits() + " bits at bit offset " + i.bitOffset()
                    + "; an int has 1 to 128 bits inside its " + size + " bytes");
        }
        return i;
    }

    private static int checkSize(ByteReader r, long size, int id) {
        if (size > 1 << 20) {
            throw r.malformed("BTF type " + id + " has implausible size " + size);
        }
        return (int) size;
    }

    /** The string table, continuing a base's offsets for split BTF. */
    private static final class Strings {
        private final ByteReader own;
        private final Btf base;

        Strings(ByteReader own, Btf base) {
            this.own = own;
            this.base = base;
        }

        String get(long off, int typeId) {
            if (base != null) {
                if (off < base.stringsLength()) {
                    return base.string(off);
                }
                off -= base.stringsLength();
            }
            if (off >= own.length()) {
                throw own.malformed("name offset " + off + " of BTF type " + typeId
                        + " lies outside the string section of " + own.length() + " bytes");
            }
            return own.cString(off, "name of BTF type " + typeId);
        }
    }
}
