package dev.bee.core.btf;

/**
 * The order of a C header's declarations, in an order clang accepts: full definitions before any by-value
 * use, forward declarations where a pointer is enough, and anonymous structs and unions written inline
 * where they are used (their needs come first). Tells a {@link Declarations} what to write next; FUNC,
 * VAR, DATASEC and DECL_TAG types are never written.
 */
final class BtfCOrder {
    /** What {@link BtfCOrder} asks to be written, each once, in the order it asks. */
    interface Declarations {
        /** A forward declaration of struct, union or enum {@code id} ({@code struct foo;}). */
        void forward(int id);

        /** The full definition of named struct, union or enum {@code id}; everything it needs came before. */
        void definition(int id);

        /** Typedef {@code id}; what it names is declared. */
        void typedef(int id);

        /** Anonymous enum {@code id} on its own, for its constants, unless it was written inline already. */
        void standaloneEnum(int id);
    }

    private static final byte NONE = 0;
    private static final byte DECLARED = 1;
    private static final byte IN_PROGRESS = 2;
    private static final byte DONE = 3;

    private final Btf btf;
    private final BtfCNames names;
    private final NestingLimit nesting;
    private final Declarations out;
    /** Progress of named structs/unions/enums, fwds and typedefs. */
    private final byte[] state;
    /** Whether a forward declaration of the struct, union or enum has been written. */
    private final boolean[] forwardDeclared;

    BtfCOrder(Btf btf, BtfCNames names, NestingLimit nesting, Declarations out) {
        this.btf = btf;
        this.names = names;
        this.nesting = nesting;
        this.out = out;
        this.state = new byte[btf.count()];
        this.forwardDeclared = new boolean[btf.count()];
    }

    /**
     * Type {@code id} as a header declares it on its own (a named struct, union or enum, a typedef, a
     * fwd, an anonymous enum nothing uses), after everything it needs; nothing for other types and for
     * those written already.
     */
    void declare(int id) {
        BtfType t = btf.type(id);
        if (t instanceof BtfType.Struct s && !s.name().isEmpty()) {
            define(id);
        } else if (t instanceof BtfType.Enum e) {
            if (!e.name().isEmpty()) {
                define(id);
            } else if (names.anonEnumUses(id) == 0) {
                out.standaloneEnum(id); // nothing uses it: it only declares constants
            }
        } else if (t instanceof BtfType.Typedef) {
            typedef(id);
        } else if (t instanceof BtfType.Fwd) {
            forward(id);
        }
    }

    /**
     * After every {@link #declare}: anonymous enums counted as used but never reached (their only users
     * were not written) must still declare their constants.
     */
    void declareUnreachedEnums() {
        for (int id = 1; id < btf.count(); id++) {
            if (btf.type(id) instanceof BtfType.Enum e && e.name().isEmpty()) {
                out.standaloneEnum(id);
            }
        }
    }

    /** Makes {@code id} usable where a declaration is enough (behind a pointer, in a prototype). */
    private void needDeclared(int id) {
        nesting.enter(id);
        BtfType t = btf.type(id);
        if (t instanceof BtfType.Modifier m) {
            needDeclared(m.type());
        } else if (t instanceof BtfType.Ptr p) {
            needDeclared(p.type());
        } else if (t instanceof BtfType.Array a) {
            needComplete(a.elementType());
        } else if (t instanceof BtfType.FuncProto fp) {
            needDeclared(fp.returnType());
            for (BtfType.Param p : fp.params()) {
                needDeclared(p.type());
            }
        } else if (t instanceof BtfType.Struct s) {
            if (s.name().isEmpty()) {
                needMembers(s); // written inline
            } else {
                forward(id);
            }
        } else if (t instanceof BtfType.Fwd) {
            forward(id);
        } else if (t instanceof BtfType.Enum e && !e.name().isEmpty()) {
            define(id); // enum forward declarations are a GNU extension; define instead
        } else if (t instanceof BtfType.Typedef) {
            typedef(id);
        }
        nesting.leave();
    }

    /** Makes {@code id} usable by value (a member, an array element). */
    private void needComplete(int id) {
        nesting.enter(id);
        BtfType t = btf.type(id);
        if (t instanceof BtfType.Modifier m) {
            needComplete(m.type());
        } else if (t instanceof BtfType.Typedef d) {
            typedef(id);
            needComplete(d.type());
        } else if (t instanceof BtfType.Array a) {
            needComplete(a.elementType());
        } else if (t instanceof BtfType.Struct s) {
            if (s.name().isEmpty()) {
                needMembers(s);
            } else {
                define(id);
            }
        } else {
            needDeclared(id);
        }
        nesting.leave();
    }

    private void needMembers(BtfType.Struct s) {
        for (BtfType.Member m : s.members()) {
            needComplete(m.type());
        }
    }

    /** A forward declaration ({@code struct foo;}), once. */
    private void forward(int id) {
        int target = names.sameAs(id) != 0 ? names.sameAs(id) : id;
        if (state[target] == DECLARED || state[target] == DONE || forwardDeclared[target]) {
            return; // a type being defined still needs this if its own members' prototypes name it
        }
        forwardDeclared[target] = true;
        if (state[target] == NONE) {
            state[target] = DECLARED;
        }
        out.forward(target);
    }

    /** The full definition of a named struct, union or enum, after everything it needs. */
    private void define(int id) {
        if (names.sameAs(id) != 0) {
            define(names.sameAs(id));
            return;
        }
        if (state[id] >= IN_PROGRESS) {
            return; // done, or a by-value loop (which no C type can be; clang will say so)
        }
        BtfType t = btf.type(id);
        if (t instanceof BtfType.Enum e) {
            if (e.values().isEmpty()) {
                forward(id); // declared but never defined in the source
                return;
            }
            state[id] = DONE;
            out.definition(id);
        } else if (t instanceof BtfType.Struct s) {
            state[id] = IN_PROGRESS;
            needMembers(s);
            out.definition(id);
            state[id] = DONE;
        }
    }

    private void typedef(int id) {
        if (state[id] != NONE) {
            return;
        }
        if (names.compilerTypedef(id)) {
            state[id] = DONE;
            return;
        }
        state[id] = IN_PROGRESS;
        needDeclared(((BtfType.Typedef) btf.type(id)).type());
        out.typedef(id);
        state[id] = DONE;
    }
}
