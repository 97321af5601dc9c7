package dev.bee.core.btf;

/**
 * Spells a BTF type the way a person reads it in C, for display ({@code struct event}, {@code u8[16]},
 * {@code const char *}). Declarations for a header are written by the C header writer.
 */
final class CTypeNames {
    private static final int MAX_DEPTH = 64;

    private CTypeNames() {
    }

    static String of(Btf btf, int id) {
        return of(btf, id, 0);
    }

    private static String of(Btf btf, int id, int depth) {
        if (depth > MAX_DEPTH) {
            return "...";
        }
        BtfType t = btf.type(id);
        if (t instanceof BtfType.Void) {
            return "void";
        } else if (t instanceof BtfType.Ptr p) {
            BtfType target = btf.type(p.type());
            if (target instanceof BtfType.FuncProto fp) {
                return of(btf, fp.returnType(), depth + 1) + " (*)(" + params(btf, fp, depth) + ")";
            }
            return of(btf, p.type(), depth + 1) + " *";
        } else if (t instanceof BtfType.Array a) {
            return of(btf, a.elementType(), depth + 1) + "[" + a.length() + "]";
        } else if (t instanceof BtfType.Struct s) {
            return (s.union() ? "union " : "struct ") + named(s.name());
        } else if (t instanceof BtfType.Enum e) {
            return "enum " + named(e.name());
        } else if (t instanceof BtfType.Fwd f) {
            return (f.union() ? "union " : "struct ") + named(f.name());
        } else if (t instanceof BtfType.Modifier m) {
            String inner = of(btf, m.type(), depth + 1);
            return switch (m.kind()) {
                case CONST -> "const " + inner;
                case VOLATILE -> "volatile " + inner;
                case RESTRICT -> inner + " restrict";
                default -> inner; // type tags do not change the C spelling
            };
        } else if (t instanceof BtfType.FuncProto fp) {
            return of(btf, fp.returnType(), depth + 1) + " (" + params(btf, fp, depth) + ")";
        } else if (t instanceof BtfType.Var v) {
            return of(btf, v.type(), depth + 1);
        }
        return named(t.name());
    }

    private static String params(Btf btf, BtfType.FuncProto fp, int depth) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fp.params().size(); i++) {
            BtfType.Param p = fp.params().get(i);
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(p.type() == 0 && i == fp.params().size() - 1 ? "..." : of(btf, p.type(), depth + 1));
        }
        return sb.isEmpty() ? "void" : sb.toString();
    }

    private static String named(String name) {
        return name == null || name.isEmpty() ? "(anon)" : name;
    }
}
