package dev.bee.cli.ui;

/** One key press the screen acts on, decoded from the terminal's input characters. */
record Key(Type type, char ch) {
    enum Type {
        /** A printable character, in {@link #ch()}. */
        CHAR, TAB, BACK_TAB, ENTER, BACKSPACE, ESCAPE,
        /** Ctrl-C arrives as a key: the screen turns off the terminal's signal characters. */
        CTRL_C,
        /** Anything else (arrows, function keys, other control characters): ignored. */
        OTHER
    }

    static Key of(Type type) {
        return new Key(type, '\0');
    }

    static Key ch(char c) {
        return new Key(Type.CHAR, c);
    }
}
