package dev.bee.core.btf;

/** The BTF type kinds, numbered as in the kernel's {@code include/uapi/linux/btf.h}. */
public enum BtfKind {
    VOID, INT, PTR, ARRAY, STRUCT, UNION, ENUM, FWD, TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC, FUNC_PROTO,
    VAR, DATASEC, FLOAT, DECL_TAG, TYPE_TAG, ENUM64;

    public static BtfKind of(int id) {
        BtfKind[] all = values();
        return id >= 0 && id < all.length ? all[id] : null;
    }
}
