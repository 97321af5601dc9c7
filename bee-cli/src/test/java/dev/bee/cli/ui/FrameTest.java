package dev.bee.cli.ui;

import dev.bee.core.sink.MapRecord;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole screen as text for a given size: what goes where, what a filter, a sort and a pause show. */
class FrameTest {
    private static final Panel EVENTS = new Panel("print_opens", Panel.Kind.EVENTS, "print, ring buffer");
    private static final Panel TABLE = new Panel("counter_x", Panel.Kind.TABLE, "counter, polled");
    private static final String CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault())
            .format(Records.T);

    private static Snapshot data(int events) {
        List<MapRecord> ev = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            ev.add(Records.event("print_opens", "pid", (long) i, "comm", i % 2 == 0 ? "cat" : "ls"));
        }
        List<MapRecord> rows = List.of(Records.entry("counter_x", Map.of("comm", "cat"), "value", 3L),
                Records.entry("counter_x", Map.of("comm", "bash"), "value", 10L),
                Records.entry("counter_x", Map.of("comm", "ls"), "value", 7L));
        return new Snapshot(Map.of("print_opens", ev), Map.of("counter_x", rows), Map.of());
    }

    private static List<String> render(ViewState view, Snapshot data, String warning, int rows, int cols) {
        List<AttributedString> lines = Frame.render("bee run x.o  1 attached: p -> tracepoint a/b", view, data, warning,
                new AttributedString("status"), rows, cols);
        assertEquals(rows, lines.size());
        lines.forEach(l -> assertTrue(l.columnLength() <= cols, l.toString()));
        return lines.stream().map(AttributedString::toString).map(String::stripTrailing).toList();
    }

    @Test
    void headingPanelsMessageAndStatusInTheirPlaces() {
        ViewState view = new ViewState(List.of(EVENTS, TABLE));
        List<String> s = render(view, data(20), "bee: warning: something", 20, 100);
        assertEquals(List.of(
                "bee run x.o  1 attached: p -> tracepoint a/b",
                KeyBindings.HELP,
                "> print_opens [print, ring buffer]  20 kept",
                "  time          pid  comm",
                "  " + CLOCK + "  14   cat",
                "  " + CLOCK + "  15   ls",
                "  " + CLOCK + "  16   cat",
                "  " + CLOCK + "  17   ls",
                "  " + CLOCK + "  18   cat",
                "  " + CLOCK + "  19   ls",
                "  counter_x [counter, polled]  3 rows, sort none",
                "  comm  value",
                "  cat   3",
                "  bash  10",
                "  ls    7",
                "",
                "",
                "",
                "bee: warning: something",
                "status"), s);
    }

    @Test
    void filterAndSortShowInTheTitleAndTheRows() {
        ViewState view = new ViewState(List.of(EVENTS, TABLE));
        view.view(EVENTS, PanelView.PLAIN.withFilter(FieldFilter.parse("comm=^c")));
        view.view(TABLE, PanelView.PLAIN.withSort(new Sort("value", true)));
        List<String> s = render(view, data(6), null, 16, 100);
        assertEquals("> print_opens [print, ring buffer]  6 kept, filter comm~^c: 3 shown", s.get(2));
        assertEquals(List.of("  " + CLOCK + "  0    cat", "  " + CLOCK + "  2    cat", "  " + CLOCK + "  4    cat"),
                s.subList(4, 7));
        assertEquals("  counter_x [counter, polled]  3 rows, sort value desc", s.get(8));
        assertEquals(List.of("  bash  10", "  ls    7", "  cat   3"), s.subList(10, 13));
        view.view(TABLE, PanelView.PLAIN.withFilter(FieldFilter.parse("comm zsh")));
        assertEquals("  (nothing matches comm~zsh)", render(view, data(6), null, 16, 100).get(10));
    }

    @Test
    void aSmallerTerminalGetsTheSameScreenSmaller() {
        ViewState view = new ViewState(List.of(EVENTS, TABLE));
        view.focusNext();
        assertEquals(List.of("bee run x.o  1 attached: p ->",
                KeyBindings.HELP.substring(0, 30).stripTrailing(),
                "  print_opens [print, ring buf",
                "> counter_x [counter, polled]",
                "  comm  value",
                "  cat   3",
                "",
                "status"), render(view, data(20), null, 8, 30));
        assertEquals(List.of("bee run x.o  1 attached: p ->",
                KeyBindings.HELP.substring(0, 30).stripTrailing(),
                "> counter_x [counter, polled]",
                "  comm  value",
                "  cat   3",
                "",
                "status"), render(view, data(20), null, 7, 30), "one row less: only the focused panel");
    }

    @Test
    void thePromptTakesTheMessageLine() {
        ViewState view = new ViewState(List.of(EVENTS, TABLE));
        view.openPrompt();
        view.type('c');
        List<String> s = render(view, data(1), "bee: warning: hidden while typing", 12, 120);
        assertEquals("filter print_opens (FIELD REGEX or FIELD=REGEX; empty clears; Esc cancels): c_", s.get(10));
    }

    @Test
    void iteratorOutputIsAPanelOfLines() {
        Feed feed = new Feed(10);
        feed.write(MapRecord.iterator("dump_tasks", Records.T, "1 systemd\n2 kthreadd\n"));
        ViewState view = new ViewState(List.of(Panel.iterator("dump_tasks")));
        List<String> s = render(view, feed.snapshot(), null, 9, 80);
        assertEquals(List.of("> dump_tasks [iterator output]  2 lines", "  output", "  1 systemd", "  2 kthreadd"),
                s.subList(2, 6));
    }

    @Test
    void emptyPanelsSaySo() {
        ViewState view = new ViewState(List.of(EVENTS, TABLE));
        List<String> s = render(view, Snapshot.EMPTY, null, 12, 80);
        assertEquals("  (no events yet)", s.get(4));
        assertEquals("  (no entries yet)", s.get(8));
        assertEquals("  (no maps to show: none has a print_, counter_, gauge_ or hist_ name)",
                render(new ViewState(List.of()), Snapshot.EMPTY, null, 6, 80).get(2));
    }

    @Test
    void controlCharactersFromRecordsNamesAndWarningsShowAsEscapes() {
        Panel evil = new Panel("print_\u001b]0;title\u0007", Panel.Kind.EVENTS, "print, ring buffer");
        ViewState view = new ViewState(List.of(evil, TABLE));
        Snapshot data = new Snapshot(Map.of(evil.name(), List.of(Records.event(evil.name(), "comm", "\u001b[2Jx"))),
                Map.of("counter_x", List.of(Records.entry("counter_x", Map.of("comm", "a\u009b1A"), "value", 1L))),
                Map.of());
        List<AttributedString> lines = Frame.render("bee run \u001b[31mred.o", view, data, "WARN map\u001b[K",
                new AttributedString("status"), 20, 120);
        String all = String.join("\n", lines.stream().map(AttributedString::toString).toList());
        assertTrue(all.chars().noneMatch(c -> c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f), all);
        assertTrue(all.contains("bee run \\x1b[31mred.o"), all);
        assertTrue(all.contains("print_\\x1b]0;title\\x07"), all);
        assertTrue(all.contains("\\x1b[2Jx"), all);
        assertTrue(all.contains("a\\u009b1A"), all);
        assertTrue(all.contains("WARN map\\x1b[K"), all);
        assertEquals(lines.get(0).styleAt(0), Frame.visible(lines.get(0)).styleAt(0), "styles are kept");
    }
}
