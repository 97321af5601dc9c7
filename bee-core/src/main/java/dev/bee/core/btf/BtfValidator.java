package dev.bee.core.btf;

import dev.bee.core.Plural;
import dev.bee.core.io.ByteReader;

/**
 * Checks a freshly read {@link Btf}: every type reference points at an existing type, no chain of
 * typedefs, modifiers and array elements loops back on itself (which would make sizes and names
 * infinite), and every array fits in BTF's 32-bit sizes, so that whatever walks a value of the type
 * later is bounded by the bytes it describes.
 */
final class BtfValidator {
    /** The kernel's limit on any BTF type's size (sizes are u32 in BTF); libbpf refuses larger arrays too. */
    static final long MAX_SIZE = 0xffff_ffffL;

    private final Btf btf;
    private final ByteReader errors;

    BtfValidator(Btf btf, ByteReader errors) {
        this.btf = btf;
        this.errors = errors;
    }

    void validate() {
        int first = btf.firstOwnId();
        for (int id = first; id < btf.count(); id++) {
            for (int ref : btf.type(id).references()) {
                if (ref < 0 || ref >= btf.count()) {
                    throw errors.malformed("BTF type " + id + " refers to type " + ref + ", but only "
                            + Plural.of(btf.count(), "type") + (btf.count() == 1 ? " exists" : " exist"));
                }
            }
        }
        checkChains(first);
        checkArraySizes(first);
    }

    /**
     * Walks each chain once: a type a finished walk passed is known to end, so later walks stop there
     * (linear in the type count even for one long chain); meeting a type this very walk passed is a loop.
     */
    private void checkChains(int first) {
        int[] passedBy = new int[btf.count()]; // the id whose walk passed a type first; 0: none yet
        for (int id = first; id < btf.count(); id++) {
            int start = id;
            btf.walk(id, Btf.Through.ELEMENTS, cur -> {
                if (passedBy[cur] == start) {
                    throw errors.malformed("BTF type " + start + " is part of a type loop (a typedef, modifier or"
                            + " array chain that refers back to itself)");
                }
                if (passedBy[cur] != 0) {
                    return false;
                }
                passedBy[cur] = start;
                return true;
            });
        }
    }

    /** An array's element count times its element size must be a size BTF can state. */
    private void checkArraySizes(int first) {
        for (int id = first; id < btf.count(); id++) {
            if (btf.type(id) instanceof BtfType.Array a) {
                long size = btf.sizeOf(id);
                if (size > MAX_SIZE) {
                    throw errors.malformed("BTF type " + id + " is an array of " + a.length() + " elements of "
                            + btf.sizeOf(a.elementType()) + " bytes, " + size + " bytes in all; BTF sizes end at "
                            + MAX_SIZE);
                }
            }
        }
    }
}
