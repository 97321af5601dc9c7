package dev.bee.core.object;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.Plural;
import dev.bee.core.btf.Btf;
import dev.bee.core.btf.BtfKind;
import dev.bee.core.btf.BtfReader;
import dev.bee.core.btf.BtfType;
import dev.bee.core.decode.ValueDecoder;
import dev.bee.core.elf.ElfFile;
import dev.bee.core.elf.ElfSection;
import dev.bee.core.elf.ElfSymbol;
import dev.bee.core.io.ByteReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a compiled eBPF object (an ELF file with BTF) into a {@link BpfObject}: finds the programs and
 * what their sections mean, the maps (BTF-defined in {@code .maps} and {@code .maps.<kind>}, and
 * legacy {@code struct bpf_map_def}s in {@code maps}), the globals with their initial values, and the
 * license. Pure Java; nothing touches the kernel.
 */
public final class ObjectReader {
    private static final int BPF_INSN_SIZE = 8;
    private static final int LEGACY_MAP_DEF_SIZE = 20;

    private ObjectReader() {
    }

    public static BpfObject read(Path file) {
        try {
            return read(file.toString(), Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new BeeException(ErrorKind.NOT_FOUND, file + ": no such file", "check the path");
        } catch (IOException e) {
            throw new BeeException(ErrorKind.INPUT, "cannot read " + file + ": " + e.getMessage(), null, e);
        }
    }

    public static BpfObject read(String origin, byte[] bytes) {
        ElfFile elf = ElfFile.parse(origin, bytes);
        if (elf.machine() != ElfFile.EM_BPF) {
            throw new BeeException(ErrorKind.INPUT, origin + ": ELF machine " + elf.machine()
                    + " is not eBPF (" + ElfFile.EM_BPF + ")", "compile with clang -target bpf (bee build does)");
        }
        if (elf.fileType() != ElfFile.ET_REL) {
            throw new BeeException(ErrorKind.INPUT, origin + ": ELF type " + elf.fileType()
                    + " is not a relocatable object", "pass the .o file clang produced");
        }
        Btf btf = elf.section(".BTF").map(s -> BtfReader.read(origin + " .BTF", elf.data(s))).orElse(null);
        Map<String, Long> symbolOffsets = symbolOffsets(elf);
        List<ProgramSpec> programs = programs(elf);
        List<MapSpec> maps = new ArrayList<>();
        List<GlobalVar> globals = new ArrayList<>();
        if (btf != null) {
            for (int id = 1; id < btf.count(); id++) {
                if (btf.type(id) instanceof BtfType.Datasec ds) {
                    if (ds.name().equals(".maps") || ds.name().startsWith(".maps.")) {
                        btfMaps(elf, btf, ds, maps);
                    } else if (isDataSection(ds.name())) {
                        globals(elf, btf, ds, symbolOffsets, globals);
                    }
                }
            }
        } else if (elf.sections().stream().anyMatch(s -> s.name().equals(".maps") || s.name().startsWith(".maps."))) {
            throw new BeeException(ErrorKind.INPUT, origin + ": has a .maps section but no BTF",
                    "compile with -g so clang emits BTF (bee build does)");
        }
        legacyMaps(elf, btf, maps);
        String license = elf.section("license").map(s -> elf.reader(s).cString(0, "license string")).orElse("");
        return new BpfObject(origin, license, List.copyOf(programs), List.copyOf(maps), List.copyOf(globals), elf, btf,
                bytes);
    }

    private static boolean isDataSection(String name) {
        return name.equals(".rodata") || name.equals(".data") || name.equals(".bss")
                || name.startsWith(".rodata.") || name.startsWith(".data.");
    }

    private static List<ProgramSpec> programs(ElfFile elf) {
        List<ProgramSpec> out = new ArrayList<>();
        for (ElfSymbol sym : elf.symbols()) {
            if (!sym.isFunction() || !sym.isGlobal() || sym.sectionIndex() == ElfSymbol.SHN_UNDEF
                    || sym.sectionIndex() >= elf.sections().size()) {
                continue;
            }
            ElfSection sec = elf.section(sym.sectionIndex());
            if (!sec.isExecutable() || sec.name().equals(".text")) {
                continue; // .text holds subprograms called by programs, not programs
            }
            ProgramSection ps = SectionNames.parse(sec.name());
            int insns = (int) Math.min(Integer.MAX_VALUE, (sym.size() > 0 ? sym.size() : sec.size()) / BPF_INSN_SIZE);
            out.add(new ProgramSpec(sym.name(), sec.name(), ps.type(), ps.attachKind(), ps.target(),
                    ps.expectedAttachType(), ps.sleepable(), insns));
        }
        return out;
    }

    /** Offsets of object symbols by name, per section: clang leaves DATASEC offsets at 0 for libbpf to fix. */
    private static Map<String, Long> symbolOffsets(ElfFile elf) {
        Map<String, Long> out = new HashMap<>();
        for (ElfSymbol s : elf.symbols()) {
            if (s.type() == ElfSymbol.STT_OBJECT && s.sectionIndex() != ElfSymbol.SHN_UNDEF
                    && s.sectionIndex() < elf.sections().size()) {
                out.put(elf.section(s.sectionIndex()).name() + "\0" + s.name(), s.value());
            }
        }
        return out;
    }

    private static void btfMaps(ElfFile elf, Btf btf, BtfType.Datasec ds, List<MapSpec> out) {
        for (BtfType.SectionVar sv : ds.vars()) {
            if (!(btf.type(sv.type()) instanceof BtfType.Var var)) {
                throw new BeeException(ErrorKind.INPUT, elf.origin() + ": section " + ds.name()
                        + " lists type " + sv.type() + ", which is not a variable");
            }
            int defId = btf.resolve(var.type());
            if (!(btf.type(defId) instanceof BtfType.Struct def)) {
                throw new BeeException(ErrorKind.INPUT, elf.origin() + ": map '" + var.name()
                        + "' is not defined by a struct", "declare maps as struct { __uint(type, ...); ... } name SEC(\".maps\")");
            }
            long type = 0;
            long keySize = 0;
            long valueSize = 0;
            long maxEntries = 0;
            long flags = 0;
            long pinning = 0;
            int keyType = 0;
            int valueType = 0;
            for (BtfType.Member m : def.members()) {
                switch (m.name()) {
                    case "type" -> type = uintField(elf, btf, var.name(), m);
                    case "max_entries" -> maxEntries = uintField(elf, btf, var.name(), m);
                    case "map_flags" -> flags = uintField(elf, btf, var.name(), m);
                    case "key_size" -> keySize = uintField(elf, btf, var.name(), m);
                    case "value_size" -> valueSize = uintField(elf, btf, var.name(), m);
                    case "pinning" -> pinning = uintField(elf, btf, var.name(), m);
                    case "key" -> keyType = typeField(elf, btf, var.name(), m);
                    case "value" -> valueType = typeField(elf, btf, var.name(), m);
                    default -> {
                        // numa_node, map_extra, values (map-in-map): not needed to describe or watch
                    }
                }
            }
            if (keyType != 0) {
                keySize = btf.sizeOf(keyType);
            }
            if (valueType != 0) {
                valueSize = btf.sizeOf(valueType);
            }
            MapType mt = MapType.of(type);
            if (mt == null) {
                throw new BeeException(ErrorKind.INPUT, elf.origin() + ": map '" + var.name()
                        + "' has unknown map type " + type, "use a BPF_MAP_TYPE_* constant");
            }
            out.add(new MapSpec(var.name(), ds.name(), mt, keySize, valueSize, maxEntries, flags, pinning != 0,
                    OutputKind.of(var.name(), ds.name()), keyType == 0 ? null : btf.cName(keyType),
                    valueType == 0 ? null : btf.cName(valueType), keyType, valueType));
        }
    }

    /** {@code __uint(name, N)} is {@code int (*name)[N]}: the number is the array length. */
    private static long uintField(ElfFile elf, Btf btf, String map, BtfType.Member m) {
        if (btf.type(btf.resolve(m.type())) instanceof BtfType.Ptr p
                && btf.type(btf.resolve(p.type())) instanceof BtfType.Array a) {
            return a.length();
        }
        throw new BeeException(ErrorKind.INPUT, elf.origin() + ": field '" + m.name() + "' of map '" + map
                + "' is not declared with __uint()", "use __uint(" + m.name() + ", N) from bpf_helpers.h");
    }

    /** {@code __type(name, T)} is {@code typeof(T) *name}: the pointee is the type. */
    private static int typeField(ElfFile elf, Btf btf, String map, BtfType.Member m) {
        if (btf.type(btf.resolve(m.type())) instanceof BtfType.Ptr p) {
            return p.type();
        }
        throw new BeeException(ErrorKind.INPUT, elf.origin() + ": field '" + m.name() + "' of map '" + map
                + "' is not declared with __type()", "use __type(" + m.name() + ", T) from bpf_helpers.h");
    }

    private static void legacyMaps(ElfFile elf, Btf btf, List<MapSpec> out) {
        Optional<ElfSection> sec = elf.section("maps");
        if (sec.isEmpty()) {
            return;
        }
        List<ElfSymbol> syms = elf.symbols().stream()
                .filter(s -> s.sectionIndex() == sec.get().index() && !s.name().isEmpty()
                        && s.type() != ElfSymbol.STT_SECTION)
                .toList();
        if (syms.isEmpty()) {
            return;
        }
        long defSize = sec.get().size() / syms.size();
        if (defSize < LEGACY_MAP_DEF_SIZE) {
            throw new BeeException(ErrorKind.INPUT, elf.origin() + ": legacy 'maps' section holds "
                    + Plural.of(syms.size(), "map") + " in " + Plural.of(sec.get().size(), "byte")
                    + ", less than a struct bpf_map_def each");
        }
        ByteReader r = elf.reader(sec.get());
        for (ElfSymbol s : syms) {
            long o = s.value();
            long type = r.u32(o);
            MapType mt = MapType.of(type);
            if (mt == null) {
                throw new BeeException(ErrorKind.INPUT, elf.origin() + ": legacy map '" + s.name()
                        + "' has unknown map type " + type);
            }
            int keyType = 0;
            int valueType = 0;
            if (btf != null) {
                // BPF_ANNOTATE_KV_PAIR leaves struct ____btf_map_<name> { key; value; } behind.
                Optional<Integer> kv = btf.find(BtfKind.STRUCT, "____btf_map_" + s.name());
                if (kv.isPresent()) {
                    for (BtfType.Member m : ((BtfType.Struct) btf.type(kv.get())).members()) {
                        if (m.name().equals("key")) {
                            keyType = m.type();
                        } else if (m.name().equals("value")) {
                            valueType = m.type();
                        }
                    }
                }
            }
            out.add(new MapSpec(s.name(), "maps", mt, r.u32(o + 4), r.u32(o + 8), r.u32(o + 12), r.u32(o + 16), false,
                    OutputKind.of(s.name(), "maps"), keyType == 0 ? null : btf.cName(keyType),
                    valueType == 0 ? null : btf.cName(valueType), keyType, valueType));
        }
    }

    private static void globals(ElfFile elf, Btf btf, BtfType.Datasec ds, Map<String, Long> symbolOffsets,
                                List<GlobalVar> out) {
        Optional<ElfSection> sec = elf.section(ds.name());
        byte[] data = sec.map(elf::data).orElse(new byte[0]);
        ValueDecoder decoder = new ValueDecoder(btf, elf.byteOrder());
        for (BtfType.SectionVar sv : ds.vars()) {
            if (!(btf.type(sv.type()) instanceof BtfType.Var var) || isFunctionStatic(var.name())) {
                continue;
            }
            long offset = sv.offset() != 0 ? sv.offset()
                    : symbolOffsets.getOrDefault(ds.name() + "\0" + var.name(), 0L);
            long size = btf.sizeOf(var.type());
            if (sv.size() != 0 && sv.size() != size) {
                // The section entry is what the data holds; a type of another size would be read past it.
                throw new BeeException(ErrorKind.INPUT, elf.origin() + ": global '" + var.name() + "' is "
                        + size + " bytes by its type but " + sv.size() + " bytes in section " + ds.name(),
                        "the object's BTF is corrupt; rebuild it with clang -g");
            }
            boolean constant = isConst(btf, var.type());
            Object value;
            if (sec.isEmpty() || !sec.get().hasFileData()) {
                value = zeroValue(decoder, var.type(), size);
            } else {
                if (offset < 0 || size < 0 || offset + size > data.length) {
                    throw new BeeException(ErrorKind.INPUT, elf.origin() + ": global '" + var.name() + "' at offset "
                            + offset + " (size " + size + ") lies outside section " + ds.name() + " of "
                            + Plural.of(data.length, "byte"));
                }
                value = decoder.decode(var.type(), data, (int) offset);
            }
            out.add(new GlobalVar(var.name(), ds.name(), btf.cName(var.type()), offset, size, constant, value,
                    var.type()));
        }
    }

    /**
     * A {@code static} inside a function, which clang names {@code function.variable} (a dot no C name
     * has): {@code bpf_printk}'s format strings ({@code handle.____fmt}, {@code handle.____fmt.1}) and
     * the like. Only the function sees it; it is no global to show or to {@code --set}.
     */
    private static boolean isFunctionStatic(String name) {
        return name.indexOf('.') >= 0;
    }

    private static Object zeroValue(ValueDecoder decoder, int type, long size) {
        return size > 1 << 20 ? null : decoder.decode(type, new byte[(int) size], 0);
    }

    private static boolean isConst(Btf btf, int typeId) {
        int stop = btf.walk(typeId, Btf.Through.MODIFIERS, cur -> btf.type(cur).kind() != BtfKind.CONST);
        return btf.type(stop).kind() == BtfKind.CONST;
    }
}
