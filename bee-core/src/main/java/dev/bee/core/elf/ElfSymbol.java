package dev.bee.core.elf;

/** One symbol table entry, with its name resolved. */
public record ElfSymbol(int index, String name, long value, long size, int bind, int type,
                        int other, int sectionIndex) {
    public static final int STB_LOCAL = 0;
    public static final int STB_GLOBAL = 1;
    public static final int STB_WEAK = 2;
    public static final int STT_NOTYPE = 0;
    public static final int STT_OBJECT = 1;
    public static final int STT_FUNC = 2;
    public static final int STT_SECTION = 3;
    public static final int SHN_UNDEF = 0;
    public static final int SHN_ABS = 0xfff1;
    public static final int SHN_COMMON = 0xfff2;

    public boolean isFunction() {
        return type == STT_FUNC;
    }

    public boolean isGlobal() {
        return bind == STB_GLOBAL || bind == STB_WEAK;
    }
}
