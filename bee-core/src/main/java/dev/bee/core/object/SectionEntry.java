package dev.bee.core.object;

/**
 * One ELF section of an object as {@code bee describe --sections} shows it: what
 * {@code llvm-objdump --headers} lists (index, name, size, VMA, and TEXT/DATA/BSS/DEBUG as
 * {@code kind}), its ELF type and flags (as readelf writes them: W write, A alloc, X execute), and what
 * it holds for bee: which programs, maps, globals, BTF or relocations.
 */
public record SectionEntry(int index, String name, long size, long vma, String kind, String type, String flags,
                           String holds) {
}
