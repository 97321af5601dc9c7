package dev.bee.cli.ui;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class KeyDecoderTest {
    private static List<Key> decode(String input) {
        KeyDecoder d = new KeyDecoder();
        List<Key> keys = new ArrayList<>();
        for (char c : input.toCharArray()) {
            Key k = d.feed(c);
            if (k != null) {
                keys.add(k);
            }
        }
        Key k = d.idle();
        if (k != null) {
            keys.add(k);
        }
        return keys;
    }

    @Test
    void singleCharacters() {
        assertEquals(List.of(Key.of(Key.Type.TAB), Key.ch('s'), Key.ch('/'), Key.of(Key.Type.ENTER),
                Key.of(Key.Type.ENTER), Key.of(Key.Type.BACKSPACE), Key.of(Key.Type.BACKSPACE),
                Key.of(Key.Type.CTRL_C), Key.of(Key.Type.OTHER)), decode("\ts/\r\n\u007f\b\u0003\u0001"));
    }

    @Test
    void shiftTabIsAnEscapeSequence() {
        assertEquals(List.of(Key.of(Key.Type.BACK_TAB), Key.ch('q')), decode("\u001b[Zq"));
    }

    @Test
    void arrowsAndFunctionKeysAreIgnoredWhole() {
        assertEquals(List.of(Key.of(Key.Type.OTHER), Key.of(Key.Type.OTHER), Key.of(Key.Type.OTHER), Key.ch('p')),
                decode("\u001b[A\u001b[1;5C\u001bOPp"));
    }

    @Test
    void aLoneEscapeIsKnownWhenNothingFollows() {
        KeyDecoder d = new KeyDecoder();
        assertNull(d.feed(27));
        assertEquals(Key.of(Key.Type.ESCAPE), d.idle());
        assertNull(d.idle());
        assertEquals(Key.ch('x'), d.feed('x'));
    }
}
