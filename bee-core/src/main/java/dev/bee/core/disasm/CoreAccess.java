package dev.bee.core.disasm;

import dev.bee.core.btf.Btf;
import dev.bee.core.btf.BtfExt;
import dev.bee.core.btf.BtfType;

/**
 * Says what a CO-RE relocation reaches, as libbpf's debug log does: {@code struct task_struct.real_parent
 * (0:57 @ offset 1432)} for a field access (the offset in the object's own BTF, before libbpf moves it to the
 * running kernel's), the type for type relocations, {@code enum E::VALUE} for enum values.
 */
final class CoreAccess {
    private CoreAccess() {
    }

    static String describe(Btf btf, BtfExt.CoreRelocation relo) {
        String root = btf.cName(relo.typeId());
        String[] parts = relo.access().split(":");
        if (relo.kind().isEnumValue()) {
            if (btf.type(btf.resolve(relo.typeId())) instanceof BtfType.Enum e && parts.length == 1) {
                int i = index(parts[0]);
                if (i >= 0 && i < e.values().size()) {
                    return root + "::" + e.values().get(i).name();
                }
            }
            return root + " (" + relo.access() + ")";
        }
        if (!relo.kind().isField()) {
            return root + " (" + relo.access() + ")";
        }
        StringBuilder path = new StringBuilder(root);
        int first = parts.length > 0 ? index(parts[0]) : -1;
        if (first < 0) {
            return root + " (" + relo.access() + ")";
        }
        if (first != 0) {
            path.append('[').append(first).append(']');
        }
        int cur = relo.typeId();
        long bits = first * btf.sizeOf(cur) * 8;
        // Each further index is a member of a struct/union or an element of an array; the string's length
        // bounds the walk.
        for (int k = 1; k < parts.length; k++) {
            int i = index(parts[k]);
            BtfType t = btf.type(btf.resolve(cur));
            if (t instanceof BtfType.Struct s && i >= 0 && i < s.members().size()) {
                BtfType.Member m = s.members().get(i);
                if (!m.name().isEmpty()) {
                    path.append('.').append(m.name());
                }
                bits += m.bitOffset();
                cur = m.type();
            } else if (t instanceof BtfType.Array a && i >= 0) {
                path.append('[').append(i).append(']');
                cur = a.elementType();
                bits += i * btf.sizeOf(cur) * 8;
            } else {
                return path + " (" + relo.access() + ")";
            }
        }
        return path + " (" + relo.access() + " @ offset " + bits / 8 + ")";
    }

    private static int index(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
