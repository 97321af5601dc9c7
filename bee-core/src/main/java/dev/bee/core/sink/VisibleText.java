package dev.bee.core.sink;

/**
 * Text from the kernel, a program or a registry made safe for a terminal: every control character is
 * shown as an escape instead of reaching the terminal, where ESC, CSI and OSC sequences move the
 * cursor, clear the screen, retitle the window or forge lines, and bidirectional overrides reorder
 * what is read. C0 controls and DEL show as {@code \x1b}, C1 controls, bidirectional controls and
 * unpaired surrogates as {@code \u009b}. A backslash stays as it is (paths and patterns keep their
 * look); JSON output escapes on its own.
 */
public final class VisibleText {
    private VisibleText() {
    }

    /** {@code s} as one line: newlines and tabs are escaped too. Null stays null. */
    public static String line(String s) {
        return escape(s, false);
    }

    /** {@code s} as lines of text: newlines and tabs stay, every other control is escaped. Null stays null. */
    public static String lines(String s) {
        return escape(s, true);
    }

    private static String escape(String s, boolean keepLines) {
        if (s == null) {
            return null;
        }
        int i = 0;
        while (i < s.length() && !hidden(s, i, keepLines)) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!hidden(s, i, keepLines)) {
                sb.append(c);
            } else if (c < 0x20 || c == 0x7f) {
                sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }

    /** Whether the character at {@code i} must not reach a terminal as it is. */
    private static boolean hidden(String s, int i, boolean keepLines) {
        char c = s.charAt(i);
        if (c < 0x20) {
            return !(keepLines && (c == '\n' || c == '\t'));
        }
        if (c < 0x7f) {
            return false;
        }
        if (c <= 0x9f) {
            return true; // DEL and the C1 controls (0x9b is CSI, 0x9d OSC on terminals that read them)
        }
        if (c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
            return true; // bidirectional marks, embeddings, overrides and isolates
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return false;
    }
}
