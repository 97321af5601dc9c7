package dev.bee.cli.ui;

import java.util.List;

/**
 * What each key does, in one place (docs/screen.md lists the same keys): Tab and Shift-Tab move the
 * focus, {@code /} opens the filter prompt, {@code s} and {@code S} sort a table, {@code p} pauses the
 * panels, {@code ?} shows the help view, {@code q} and Ctrl-C quit.
 */
final class KeyBindings {
    /** The key help the screen shows under its heading. */
    static final String HELP = "Tab/Shift-Tab panel   / filter   s sort column   S reverse sort   p pause   ? help   q quit";

    /** The help view ({@code ?}): every key, what it does, and what the panels show. */
    static final java.util.List<String> HELP_VIEW = java.util.List.of(
            "Keys",
            "  Tab, Shift-Tab   focus the next or the previous panel (the focused one is taller)",
            "  /                filter the focused panel: FIELD REGEX or FIELD=REGEX (RE2), empty clears, Esc cancels;",
            "                   it covers every row the panel keeps: the last 1000 events, every table row",
            "  s, S             sort a table by its next column, or reverse the order",
            "  p                pause the panels (bee keeps reading; counts go on), p again resumes",
            "  ?                show or hide this help",
            "  q, Ctrl-C        quit: bee detaches everything and prints its summary",
            "",
            "Panels",
            "  print_ and other ring or perf buffers: events, newest at the bottom",
            "  counter_, gauge_ hash and array maps: one row per key, updated in place",
            "  hist_ maps filled per bucket (le or slot keys): a bar per bucket, one picture per label set",
            "  iterator programs: the text they printed",
            "",
            "The status line counts every record, shown or not, and the losses the kernel reports (unknown when it",
            "cannot count them). Records are numbers in -o json; metrics are on /metrics.");

    private KeyBindings() {
    }

    /**
     * Applies {@code key} to {@code view}; {@code shown} is the data on screen (a table's columns, what
     * a pause freezes). Returns true when the key asks to quit.
     */
    static boolean apply(Key key, ViewState view, Snapshot shown) {
        if (key.type() == Key.Type.CTRL_C) {
            return true;
        }
        view.notice(null);
        if (view.prompt() != null) {
            prompt(key, view, shown);
            return false;
        }
        switch (key.type()) {
            case TAB -> view.focusNext();
            case BACK_TAB -> view.focusPrevious();
            case CHAR -> {
                switch (key.ch()) {
                    case 'q' -> {
                        return true;
                    }
                    case '/' -> {
                        if (view.focused() != null) {
                            view.openPrompt();
                        }
                    }
                    case 's' -> sort(view, shown, false);
                    case 'S' -> sort(view, shown, true);
                    case '?' -> view.toggleHelp();
                    case 'p' -> {
                        if (view.paused()) {
                            view.resume();
                        } else {
                            view.pause(shown);
                        }
                    }
                    default -> {
                    }
                }
            }
            default -> {
            }
        }
        return false;
    }

    private static void prompt(Key key, ViewState view, Snapshot shown) {
        switch (key.type()) {
            case CHAR -> view.type(key.ch());
            case BACKSPACE -> view.erase();
            case ESCAPE -> view.cancelPrompt();
            case ENTER -> filter(view, shown, view.closePrompt());
            default -> {
            }
        }
    }

    private static void filter(ViewState view, Snapshot shown, String line) {
        Panel p = view.focused();
        FieldFilter f;
        try {
            f = FieldFilter.parse(line);
        } catch (IllegalArgumentException e) {
            view.notice("filter: " + e.getMessage());
            return;
        }
        List<String> fields = shown.fields(p);
        if (f != null && !fields.isEmpty() && !fields.contains(f.field())) {
            view.notice("filter: " + p.name() + " has no field '" + f.field() + "'; fields: " + String.join(", ", fields));
            return;
        }
        view.view(p, view.view(p).withFilter(f));
        view.notice(f == null ? "filter of " + p.name() + " cleared" : null);
    }

    private static void sort(ViewState view, Snapshot shown, boolean reverse) {
        Panel p = view.focused();
        if (p == null) {
            return;
        }
        if (p.kind() != Panel.Kind.TABLE) {
            view.notice("sorting is for tables; " + p.name() + " shows events in arrival order");
            return;
        }
        List<String> columns = shown.fields(p);
        if (columns.isEmpty()) {
            view.notice(p.name() + " has no entries to sort yet");
            return;
        }
        Sort current = view.view(p).sort();
        view.view(p, view.view(p).withSort(reverse ? Sort.reversed(current, columns) : Sort.next(current, columns)));
    }
}
