package dev.bee.core.btf;

import dev.bee.core.Plural;
import dev.bee.core.io.ByteReader;

/**
 * Checks a freshly read {@link Btf}: every type reference points at an existing type, and no chain
 * of typedefs, modifiers and array elements loops back on itself (which would make sizes and names
 * infinite).
 */
final class BtfValidator {
    private final Btf btf;
    private final ByteReader errors;

    BtfValidator(Btf btf, ByteReader errors) {
        this.btf = btf;
        this.errors = errors;
    }

    void validate() {
        int first = btf.firstOwnId();
        for (int id = first; id < btf.count(); id++) {
            for (int ref : references(btf.type(id))) {
                if (ref < 0 || ref >= btf.count()) {
                    throw errors.malformed("BTF type " + id + " refers to type " + ref + ", but only "
                            + Plural.of(btf.count(), "type") + (btf.count() == 1 ? " exists" : " exist"));
                }
            }
        }
        checkChains(first);
    }

    /** Every type id {@code t} refers to. */
    static int[] references(BtfType t) {
        if (t instanceof BtfType.Ptr p) {
            return new int[]{p.type()};
        } else if (t instanceof BtfType.Array a) {
            return new int[]{a.elementType(), a.indexType()};
        } else if (t instanceof BtfType.Struct s) {
            return s.members().stream().mapToInt(BtfType.Member::type).toArray();
        } else if (t instanceof BtfType.Typedef d) {
            return new int[]{d.type()};
        } else if (t instanceof BtfType.Modifier m) {
            return new int[]{m.type()};
        } else if (t instanceof BtfType.Func f) {
            return new int[]{f.protoType()};
        } else if (t instanceof BtfType.FuncProto p) {
            int[] out = new int[p.params().size() + 1];
            out[0] = p.returnType();
            for (int i = 0; i < p.params().size(); i++) {
                out[i + 1] = p.params().get(i).type();
            }
            return out;
        } else if (t instanceof BtfType.Var v) {
            return new int[]{v.type()};
        } else if (t instanceof BtfType.Datasec d) {
            return d.vars().stream().mapToInt(BtfType.SectionVar::type).toArray();
        } else if (t instanceof BtfType.DeclTag d) {
            return new int[]{d.type()};
        }
        return new int[0];
    }

    /** Follows each non-pointer chain; a chain longer than the type count is a loop. */
    private void checkChains(int first) {
        byte[] state = new byte[btf.count()]; // 0 = unseen, 1 = known finite
        for (int id = first; id < btf.count(); id++) {
            int cur = id;
            int steps = 0;
            while (state[cur] == 0) {
                int next = next(btf.type(cur));
                if (next < 0) {
                    break;
                }
                if (++steps > btf.count()) {
                    throw errors.malformed("BTF type " + id + " is part of a type loop (a typedef, modifier or array "
                            + "chain that refers back to itself)");
                }
                cur = next;
            }
            // Everything on a finite chain is finite.
            cur = id;
            while (cur >= 0 && state[cur] == 0) {
                state[cur] = 1;
                cur = next(btf.type(cur));
            }
        }
    }

    private static int next(BtfType t) {
        if (t instanceof BtfType.Typedef d) {
            return d.type();
        } else if (t instanceof BtfType.Modifier m) {
            return m.type();
        } else if (t instanceof BtfType.Array a) {
            return a.elementType();
        } else if (t instanceof BtfType.Var v) {
            return v.type();
        }
        return -1;
    }
}
