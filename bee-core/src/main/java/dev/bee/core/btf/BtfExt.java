package dev.bee.core.btf;

import java.util.List;

/**
 * What an object's {@code .BTF.ext} says about its code, per ELF section: the functions
 * ({@code func_info}), the C source line of instructions ({@code line_info}) and the CO-RE relocations.
 * Instruction offsets are in bytes from the start of the section, as clang writes them.
 */
public record BtfExt(List<FuncInfo> funcs, List<LineInfo> lines, List<CoreRelocation> coreRelocations) {

    /** A function starting at {@code offset} of {@code section}, typed by BTF FUNC {@code typeId}. */
    public record FuncInfo(String section, long offset, int typeId) {
    }

    /** The C source line ({@code text}, from file {@code file}) that produced the code at {@code offset}. */
    public record LineInfo(String section, long offset, String file, String text, int line, int column) {
    }

    /**
     * A CO-RE relocation of the instruction at {@code offset}: its kind, the local BTF type it starts
     * from and the access string ({@code 0:1:2}: array index, then member or element indexes).
     */
    public record CoreRelocation(String section, long offset, int typeId, String access, CoreKind kind) {
    }

    /** The kinds of {@code enum bpf_core_relo_kind}, named as libbpf logs them. */
    public enum CoreKind {
        FIELD_BYTE_OFFSET("byte_off"), FIELD_BYTE_SIZE("byte_sz"), FIELD_EXISTS("field_exists"),
        FIELD_SIGNED("signed"), FIELD_LSHIFT_U64("lshift_u64"), FIELD_RSHIFT_U64("rshift_u64"),
        TYPE_ID_LOCAL("local_type_id"), TYPE_ID_TARGET("target_type_id"), TYPE_EXISTS("type_exists"),
        TYPE_SIZE("type_size"), ENUMVAL_EXISTS("enumval_exists"), ENUMVAL_VALUE("enumval_value"),
        TYPE_MATCHES("type_matches");

        private final String label;

        CoreKind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** Whether the access string walks into a field (rather than naming a type or an enum value). */
        public boolean isField() {
            return ordinal() <= FIELD_RSHIFT_U64.ordinal();
        }

        public boolean isEnumValue() {
            return this == ENUMVAL_EXISTS || this == ENUMVAL_VALUE;
        }
    }
}
