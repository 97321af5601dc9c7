package dev.bee.cli.ui;

/**
 * Turns the terminal's input characters into keys. Most keys are one character; Shift-Tab and the
 * arrows are escape sequences ({@code ESC [ Z}, {@code ESC [ A}, {@code ESC O P}), and a lone Escape is
 * only known to be one when nothing follows it for a moment, which {@link #idle()} reports.
 */
final class KeyDecoder {
    private static final int ESC = 27;

    private enum State { GROUND, ESCAPE, CSI, SS3 }

    private State state = State.GROUND;

    /** The key that {@code c} completes, or null while an escape sequence is still coming. */
    Key feed(int c) {
        switch (state) {
            case ESCAPE -> {
                state = c == '[' ? State.CSI : c == 'O' ? State.SS3 : State.GROUND;
                return state == State.GROUND ? Key.of(Key.Type.OTHER) : null; // Alt-something
            }
            case CSI -> {
                if (c < 0x40 || c > 0x7e) {
                    return null; // parameter and intermediate bytes of the sequence
                }
                state = State.GROUND;
                return Key.of(c == 'Z' ? Key.Type.BACK_TAB : Key.Type.OTHER);
            }
            case SS3 -> {
                state = State.GROUND;
                return Key.of(Key.Type.OTHER);
            }
            default -> {
                if (c == ESC) {
                    state = State.ESCAPE;
                    return null;
                }
                return single(c);
            }
        }
    }

    /** No input came for a while: a pending Escape was the Escape key; a broken sequence is dropped. */
    Key idle() {
        State was = state;
        state = State.GROUND;
        return was == State.ESCAPE ? Key.of(Key.Type.ESCAPE) : null;
    }

    private static Key single(int c) {
        return switch (c) {
            case '\t' -> Key.of(Key.Type.TAB);
            case '\r', '\n' -> Key.of(Key.Type.ENTER);
            case 127, '\b' -> Key.of(Key.Type.BACKSPACE);
            case 3 -> Key.of(Key.Type.CTRL_C);
            default -> c >= ' ' ? Key.ch((char) c) : Key.of(Key.Type.OTHER);
        };
    }
}
