package dev.bee.core.elf;

/** A relocation entry of a REL or RELA section; {@code addend} is 0 for REL. */
public record ElfRelocation(long offset, int symbolIndex, int type, long addend) {
}
