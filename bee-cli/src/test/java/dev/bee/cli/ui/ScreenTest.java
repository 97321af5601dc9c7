package dev.bee.cli.ui;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.watch.Runner;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The screen's life without a terminal (the test JVM has none); the real one is in ScreenIT. */
class ScreenTest {
    @Test
    void withoutATerminalStartFailsClearlyAndChangesNothing() {
        PrintStream err = System.err;
        Screen s = Screen.create("x.o", null);
        BeeException e = assertThrows(BeeException.class,
                () -> s.start(new Runner.RunInfo(List.of(), List.of(), List::of, () -> false, Runner.RunInfo.NO_QUEUE)));
        assertEquals(ErrorKind.ENVIRONMENT, e.kind());
        assertEquals("use --no-tty for line output", e.hint());
        assertSame(err, System.err);
        assertFalse(s.quitRequested());
        s.close();
        s.close();
    }

    @Test
    void dumbTerminalsGetLinesInstead() {
        assertTrue(Screen.supported("xterm-256color"));
        assertTrue(Screen.supported("screen"));
        assertFalse(Screen.supported("dumb"));
        assertFalse(Screen.supported(""));
        assertFalse(Screen.supported(null));
    }

    @Test
    void closeBeforeStartIsFine() {
        Screen s = Screen.create("x.o", "http://127.0.0.1:9091/metrics");
        s.sink().write(Records.event("print_x", "pid", 1L));
        s.close();
        s.close();
        assertFalse(s.quitRequested());
    }
}
