package dev.bee.core.object;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.btf.BtfDatasecMerger;
import dev.bee.core.elf.ElfEditor;
import dev.bee.core.elf.ElfFile;
import dev.bee.core.elf.ElfRelocation;
import dev.bee.core.elf.ElfSection;
import dev.bee.core.elf.ElfSymbol;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes objects written with the older {@code SEC(".maps.<kind>")} convention loadable by libbpf 1.x,
 * which accepts BTF-defined maps only in {@code .maps} ("bad map relo" otherwise). The maps of every
 * {@code .maps.*} section move into {@code .maps} (symbols re-pointed, BTF DATASECs merged); the
 * emptied sections stay as empty NOBITS sections that libbpf skips. Conventions are taken from the
 * original {@link BpfObject}, so nothing of the kind is lost.
 */
public final class LegacyMapNormalizer {
    private static final String MAPS = ".maps";
    private static final long ALIGN = 8;

    private LegacyMapNormalizer() {
    }

    /** The object's bytes with legacy map sections folded into {@code .maps}; unchanged if none. */
    public static byte[] normalize(BpfObject object) {
        if (!object.usesLegacyMapSections()) {
            return object.bytes();
        }
        ElfFile elf = object.elf();
        List<ElfSection> legacy = elf.sections().stream().filter(s -> s.name().startsWith(MAPS + ".")).toList();
        ElfSection btfSection = elf.section(".BTF").orElseThrow(() -> new BeeException(ErrorKind.INPUT,
                object.origin() + ": legacy map sections without BTF cannot be converted", "compile with -g"));
        rejectSectionRelocations(elf, legacy, object.origin());

        ElfEditor editor = new ElfEditor(elf, object.bytes());
        ElfSection maps = elf.section(MAPS).orElse(null);
        int mapsIndex;
        long size;
        List<ElfSection> moving;
        if (maps != null) {
            mapsIndex = maps.index();
            size = maps.size();
            moving = legacy;
        } else {
            // No .maps yet: the first legacy section becomes it and keeps its maps where they are.
            ElfSection first = legacy.get(0);
            mapsIndex = first.index();
            size = first.size();
            editor.rename(mapsIndex, MAPS);
            moving = legacy.subList(1, legacy.size());
        }
        for (ElfSection s : moving) {
            long base = (size + ALIGN - 1) & ~(ALIGN - 1);
            for (ElfSymbol sym : elf.symbols()) {
                if (sym.sectionIndex() == s.index() && sym.type() != ElfSymbol.STT_SECTION) {
                    editor.moveSymbol(sym.index(), mapsIndex, base + sym.value());
                }
            }
            size = base + s.size();
            editor.setType(s.index(), ElfSection.SHT_NOBITS);
            editor.setSize(s.index(), 0);
        }
        // BTF map definitions are all zeros: the merged section is zeros of the new size.
        editor.replaceData(mapsIndex, new byte[(int) size]);

        Set<String> sources = new LinkedHashSet<>();
        legacy.forEach(s -> sources.add(s.name()));
        editor.replaceData(btfSection.index(), BtfDatasecMerger.merge(elf.data(btfSection), object.btf(),
                elf.byteOrder(), MAPS, sources));
        return editor.toBytes();
    }

    /** Relocations against a legacy section's own section symbol would need rewriting too: refuse them. */
    private static void rejectSectionRelocations(ElfFile elf, List<ElfSection> legacy, String origin) {
        for (ElfSection rel : elf.sections()) {
            if (rel.type() != ElfSection.SHT_REL && rel.type() != ElfSection.SHT_RELA) {
                continue;
            }
            if (legacy.stream().anyMatch(l -> l.index() == rel.info())) {
                throw new BeeException(ErrorKind.INPUT, origin + ": section " + rel.name()
                        + " relocates a legacy map section, which bee cannot convert",
                        "declare the maps in SEC(\".maps\") with a print_/counter_/gauge_/hist_ name prefix");
            }
            for (ElfRelocation r : elf.relocations(rel)) {
                ElfSymbol sym = elf.symbol(r.symbolIndex());
                if (sym.type() == ElfSymbol.STT_SECTION
                        && legacy.stream().anyMatch(l -> l.index() == sym.sectionIndex())) {
                    throw new BeeException(ErrorKind.INPUT, origin + ": code refers to a legacy map section "
                            + "by offset, which bee cannot convert",
                            "declare the maps in SEC(\".maps\") with a print_/counter_/gauge_/hist_ name prefix");
                }
            }
        }
    }
}
