package dev.bee.core.btf;

import java.util.List;

/**
 * One BTF type. Records hold the raw facts of each kind; type references are ids into the owning
 * {@link Btf}. Sizes of types that do not carry one (typedefs, arrays, pointers) come from
 * {@link Btf#sizeOf(int)}.
 */
public sealed interface BtfType {
    String name();

    BtfKind kind();

    /**
     * Every type id this type refers to, in declaration order (an array's element before its index type): what
     * the reader checks and the C header writer follows.
     */
    default int[] references() {
        if (this instanceof Ptr p) {
            return new int[]{p.type()};
        } else if (this instanceof Array a) {
            return new int[]{a.elementType(), a.indexType()};
        } else if (this instanceof Struct s) {
            return s.members().stream().mapToInt(Member::type).toArray();
        } else if (this instanceof Typedef d) {
            return new int[]{d.type()};
        } else if (this instanceof Modifier m) {
            return new int[]{m.type()};
        } else if (this instanceof Func f) {
            return new int[]{f.protoType()};
        } else if (this instanceof FuncProto p) {
            int[] out = new int[p.params().size() + 1];
            out[0] = p.returnType();
            for (int i = 0; i < p.params().size(); i++) {
                out[i + 1] = p.params().get(i).type();
            }
            return out;
        } else if (this instanceof Var v) {
            return new int[]{v.type()};
        } else if (this instanceof Datasec d) {
            return d.vars().stream().mapToInt(SectionVar::type).toArray();
        } else if (this instanceof DeclTag d) {
            return new int[]{d.type()};
        }
        return new int[0];
    }

    /** The void type, id 0. */
    record Void() implements BtfType {
        public String name() { return "void"; }
        public BtfKind kind() { return BtfKind.VOID; }
    }

    record Int(String name, int size, boolean signed, boolean isChar, boolean isBool, int bitOffset, int bits)
            implements BtfType {
        public BtfKind kind() { return BtfKind.INT; }
    }

    record Ptr(int type) implements BtfType {
        public String name() { return ""; }
        public BtfKind kind() { return BtfKind.PTR; }
    }

    record Array(int elementType, int indexType, long length) implements BtfType {
        public String name() { return ""; }
        public BtfKind kind() { return BtfKind.ARRAY; }
    }

    /** A struct member; {@code bitfieldSize} is 0 for ordinary members. */
    record Member(String name, int type, long bitOffset, int bitfieldSize) {
    }

    /** A struct or union (see {@link #union()}). */
    record Struct(String name, boolean union, long size, List<Member> members) implements BtfType {
        public BtfKind kind() { return union ? BtfKind.UNION : BtfKind.STRUCT; }
    }

    record EnumValue(String name, long value) {
    }

    /** ENUM and ENUM64 alike; {@code wide} tells which. */
    record Enum(String name, int size, boolean signed, boolean wide, List<EnumValue> values) implements BtfType {
        public BtfKind kind() { return wide ? BtfKind.ENUM64 : BtfKind.ENUM; }
    }

    record Fwd(String name, boolean union) implements BtfType {
        public BtfKind kind() { return BtfKind.FWD; }
    }

    record Typedef(String name, int type) implements BtfType {
        public BtfKind kind() { return BtfKind.TYPEDEF; }
    }

    /** const, volatile, restrict, or a type tag (whose name is the tag). */
    record Modifier(BtfKind kind, String name, int type) implements BtfType {
    }

    record Func(String name, int protoType, int linkage) implements BtfType {
        public BtfKind kind() { return BtfKind.FUNC; }
    }

    record Param(String name, int type) {
    }

    /** A function signature; a last parameter of type 0 with no name means "...". */
    record FuncProto(int returnType, List<Param> params) implements BtfType {
        public String name() { return ""; }
        public BtfKind kind() { return BtfKind.FUNC_PROTO; }
    }

    record Var(String name, int type, int linkage) implements BtfType {
        public BtfKind kind() { return BtfKind.VAR; }
    }

    record SectionVar(int type, long offset, long size) {
    }

    record Datasec(String name, long size, List<SectionVar> vars) implements BtfType {
        public BtfKind kind() { return BtfKind.DATASEC; }
    }

    record Float(String name, int size) implements BtfType {
        public BtfKind kind() { return BtfKind.FLOAT; }
    }

    /** A tag on a type, or on member/parameter {@code componentIndex} (-1: the type itself). */
    record DeclTag(String name, int type, int componentIndex) implements BtfType {
        public BtfKind kind() { return BtfKind.DECL_TAG; }
    }
}
