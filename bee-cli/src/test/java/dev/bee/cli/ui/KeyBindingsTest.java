package dev.bee.cli.ui;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyBindingsTest {
    private static final Panel EVENTS = new Panel("print_opens", Panel.Kind.EVENTS, "print, ring buffer");
    private static final Panel TABLE = new Panel("counter_x", Panel.Kind.TABLE, "counter, polled");

    private final ViewState view = new ViewState(List.of(EVENTS, TABLE));
    private final Snapshot shown = new Snapshot(
            Map.of("print_opens", List.of(Records.event("print_opens", "comm", "cat", "pid", 1L))),
            Map.of("counter_x", List.of(Records.entry("counter_x", Map.of("comm", "cat"), "value", 2L))),
            Map.of());

    private boolean press(Key... keys) {
        boolean quit = false;
        for (Key k : keys) {
            quit |= KeyBindings.apply(k, view, shown);
        }
        return quit;
    }

    private boolean type(String s) {
        boolean quit = false;
        for (char c : s.toCharArray()) {
            quit |= press(Key.ch(c));
        }
        return quit;
    }

    @Test
    void questionMarkShowsAndHidesTheHelpViewWhichTakesThePanelsPlace() {
        assertFalse(type("?"));
        assertTrue(view.helpShown());
        List<String> frame = Frame.render("bee run x.o", view, Snapshot.EMPTY, null, new org.jline.utils.AttributedString(""),
                30, 120).stream().map(Object::toString).toList();
        assertTrue(frame.stream().anyMatch(l -> l.startsWith("  ?                show or hide this help")), frame.toString());
        assertFalse(frame.stream().anyMatch(l -> l.contains("[print")), "no panel under the help: " + frame);
        type("?");
        assertFalse(view.helpShown());
    }

    @Test
    void tabAndShiftTabMoveTheFocusRound() {
        assertSame(EVENTS, view.focused());
        press(Key.of(Key.Type.TAB));
        assertSame(TABLE, view.focused());
        press(Key.of(Key.Type.TAB));
        assertSame(EVENTS, view.focused());
        press(Key.of(Key.Type.BACK_TAB));
        assertSame(TABLE, view.focused());
    }

    @Test
    void slashFiltersTheFocusedPanelAndAnEmptyLineClears() {
        assertFalse(type("/comm ^ca"));
        assertEquals("comm ^ca", view.prompt());
        assertFalse(press(Key.of(Key.Type.ENTER)));
        assertNull(view.prompt());
        assertEquals("comm~^ca", view.view(EVENTS).filter().toString());
        assertNull(view.view(TABLE).filter(), "only the focused panel");
        type("/");
        press(Key.of(Key.Type.ENTER));
        assertNull(view.view(EVENTS).filter());
        assertEquals("filter of print_opens cleared", view.notice());
    }

    @Test
    void theFilterPromptTakesKeysThatAreCommandsElsewhere() {
        type("/pid=q");
        press(Key.of(Key.Type.BACKSPACE));
        type("s");
        assertEquals("pid=s", view.prompt());
        assertFalse(view.paused());
        press(Key.of(Key.Type.ESCAPE));
        assertNull(view.prompt());
        assertNull(view.view(EVENTS).filter(), "Esc cancels");
    }

    @Test
    void aBadFilterIsExplainedAndChangesNothing() {
        type("/comm (");
        press(Key.of(Key.Type.ENTER));
        assertTrue(view.notice().startsWith("filter: bad regular expression"), view.notice());
        type("/nope x");
        press(Key.of(Key.Type.ENTER));
        assertEquals("filter: print_opens has no field 'nope'; fields: comm, pid", view.notice());
        assertNull(view.view(EVENTS).filter());
        press(Key.of(Key.Type.TAB));
        assertNull(view.notice(), "the next key clears the notice");
    }

    @Test
    void sCyclesTheSortColumnAndShiftSReverses() {
        press(Key.of(Key.Type.TAB));
        type("s");
        assertEquals(new Sort("comm", false), view.view(TABLE).sort());
        type("s");
        assertEquals(new Sort("value", false), view.view(TABLE).sort());
        type("S");
        assertEquals(new Sort("value", true), view.view(TABLE).sort());
    }

    @Test
    void eventsDoNotSort() {
        type("s");
        assertNull(view.view(EVENTS).sort());
        assertEquals("sorting is for tables; print_opens shows events in arrival order", view.notice());
    }

    @Test
    void pFreezesWhatIsShownAndResumes() {
        type("p");
        assertTrue(view.paused());
        assertSame(shown, view.frozen());
        type("p");
        assertFalse(view.paused());
    }

    @Test
    void qAndCtrlCQuitEvenFromThePrompt() {
        assertTrue(type("q"));
        assertTrue(press(Key.of(Key.Type.CTRL_C)));
        type("/");
        assertFalse(type("q"), "q is text in the prompt");
        assertTrue(press(Key.of(Key.Type.CTRL_C)));
    }
}
