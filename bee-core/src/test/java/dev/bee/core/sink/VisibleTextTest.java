package dev.bee.core.sink;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Control characters from kernels, programs and registries are shown, never played on the terminal. */
class VisibleTextTest {
    private static final String CLEAR_AND_TITLE = "\u001b[2J\u001b]0;pwned\u0007";

    @Test
    void controlCharactersBecomeEscapes() {
        assertEquals("\\x1b[2J\\x1b]0;pwned\\x07", VisibleText.line(CLEAR_AND_TITLE));
        assertEquals("a\\x0ab\\x09c\\x0d\\x7f\\x00", VisibleText.line("a\nb\tc\r\u007f\u0000"));
        assertEquals("a\nb\tc\\x0d", VisibleText.lines("a\nb\tc\r"), "lines keep newlines and tabs");
        assertEquals("\\u009b2J \\u009d0;x", VisibleText.line("\u009b2J \u009d0;x"), "C1 controls (CSI, OSC)");
        assertEquals("evil\\u202etxt.exe", VisibleText.line("evil\u202etxt.exe"), "bidirectional override");
        assertEquals("\\ud800x", VisibleText.line("\ud800x"), "an unpaired surrogate");
    }

    @Test
    void ordinaryTextIsLeftAsItIs() {
        String s = "/tmp/caf\u00e9 \u65e5\u672c \ud83d\udc1d C:\\dir\\x1b";
        assertSame(s, VisibleText.line(s));
        assertEquals(null, VisibleText.line(null));
    }

    @Test
    void theStreamEscapesWhateverIsWrittenThroughIt() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(new VisibleTextStream(sink), true, StandardCharsets.UTF_8);
        err.println("bee: error: cannot open /tmp/" + CLEAR_AND_TITLE + "caf\u00e9\u009b\ud83d\udc1d");
        err.print("tab\there");
        err.write('\u001b');
        err.flush();
        assertEquals("bee: error: cannot open /tmp/\\x1b[2J\\x1b]0;pwned\\x07caf\u00e9\\u009b\ud83d\udc1d\ntab\there\\x1b",
                sink.toString(StandardCharsets.UTF_8));
    }

    @Test
    void textLinesShowFieldsAndIteratorOutputEscaped() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TextLinesSink sink = new TextLinesSink(out);
        sink.write(MapRecord.event("print_opens", Instant.EPOCH, Map.of("filename", "/tmp/" + CLEAR_AND_TITLE)));
        sink.write(MapRecord.iterator("dump", Instant.EPOCH, "line one\n\u001b[1Aforged\n"));
        sink.flush();
        String text = out.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\u001b"), text);
        assertFalse(text.contains("\u0007"), text);
        assertTrue(text.contains("/tmp/\\x1b[2J\\x1b]0;pwned\\x07"), text);
        assertTrue(text.contains("line one\n\\x1b[1Aforged\n"), text);
    }

    @Test
    void tableCellsAreEscapedAndStayAligned() {
        String t = new TextTable(java.util.List.of("NAME", "N")).row(java.util.List.of("a\u001b[Hb", 1))
                .row(java.util.List.of("abcdefghijkl", 2)).toString();
        assertEquals("NAME          N\na\\x1b[Hb      1\nabcdefghijkl  2\n", t);
    }
}
