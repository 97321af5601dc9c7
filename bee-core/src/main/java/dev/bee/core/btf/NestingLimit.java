package dev.bee.core.btf;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

/**
 * How deep the C header writer's recursion over BTF is, shared by its ordering, layout and declarators:
 * malformed input (a by-value loop, a chain of thousands of pointers) is an error, never a stack overflow.
 */
final class NestingLimit {
    /** Far beyond any real kernel type nesting, far below what would exhaust a thread's stack. */
    static final int MAX_DEPTH = 256;

    private final String origin;
    private int depth;

    NestingLimit(String origin) {
        this.origin = origin;
    }

    /** One level deeper, into type {@code id}; each call is paired with {@link #leave()}. */
    void enter(int id) {
        if (++depth > MAX_DEPTH) {
            throw new BeeException(ErrorKind.INPUT, origin + ": BTF type " + id + " nests deeper than "
                    + MAX_DEPTH + " levels; cannot write it as C",
                    "the BTF is corrupt or not from a C compiler; regenerate it");
        }
    }

    void leave() {
        depth--;
    }
}
