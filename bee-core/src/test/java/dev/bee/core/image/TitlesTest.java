package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Names from an image must stay inside the folder they are unpacked into. */
class TitlesTest {

    @ParameterizedTest
    @ValueSource(strings = {"../../x", "/etc/passwd", "a/../../b", "..", "a/..", "../", "dir/../x", "a\\..\\b",
            "a\\b", "nul\0byte", ""})
    void namesThatWouldEscapeAreRefused(String name) {
        assertFalse(Titles.isSafe(name));
        BeeException e = assertThrows(BeeException.class, () -> Titles.check(name, "img layer"));
        assertEquals(ErrorKind.INPUT, e.kind());
        assertEquals("img layer: name '" + name
                + "' would escape the image folder (absolute path or '..'); refusing the image", e.getMessage());
        assertTrue(e.hint().contains("hostile"), e.hint());
    }

    @ParameterizedTest
    @ValueSource(strings = {"program.o", "./program.o", "a/b/c.o", "...", "..x", "x..", "a/./b", "dir/"})
    void ordinaryNamesPass(String name) {
        assertTrue(Titles.isSafe(name));
        assertDoesNotThrow(() -> Titles.check(name, "img"));
    }

    @Test
    void aMissingTitleIsNotAnError() {
        assertDoesNotThrow(() -> Titles.check(null, "img"));
    }
}
