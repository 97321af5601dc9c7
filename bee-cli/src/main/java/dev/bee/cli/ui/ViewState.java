package dev.bee.cli.ui;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the user chose to see: which panel has the focus, each panel's filter and sort, whether the
 * screen is paused (and on what), the filter prompt being typed, and a one-line notice answering the
 * last key. Lives on the screen thread only, so it needs no lock.
 */
final class ViewState {
    private final List<Panel> panels = new ArrayList<>();
    private final Map<Panel, PanelView> views = new HashMap<>();
    private int focus;
    private Snapshot frozen;
    private StringBuilder prompt;
    private String notice;
    private boolean help;

    ViewState(List<Panel> panels) {
        this.panels.addAll(panels);
    }

    List<Panel> panels() {
        return List.copyOf(panels);
    }

    /** Adds a panel that appeared during the run (an iterator's output); known panels are left alone. */
    void add(Panel p) {
        if (!panels.contains(p)) {
            panels.add(p);
        }
    }

    int focus() {
        return focus;
    }

    /** The panel with the focus, or null when there is none. */
    Panel focused() {
        return panels.isEmpty() ? null : panels.get(focus);
    }

    void focusNext() {
        if (!panels.isEmpty()) {
            focus = (focus + 1) % panels.size();
        }
    }

    void focusPrevious() {
        if (!panels.isEmpty()) {
            focus = (focus - 1 + panels.size()) % panels.size();
        }
    }

    PanelView view(Panel p) {
        return views.getOrDefault(p, PanelView.PLAIN);
    }

    void view(Panel p, PanelView v) {
        views.put(p, v);
    }

    boolean paused() {
        return frozen != null;
    }

    /** Whether the help view takes the panels' place ({@code ?} shows and hides it). */
    boolean helpShown() {
        return help;
    }

    void toggleHelp() {
        help = !help;
    }

    /** While paused: the data that was on screen when {@code p} was pressed. */
    Snapshot frozen() {
        return frozen;
    }

    void pause(Snapshot shown) {
        frozen = shown;
    }

    void resume() {
        frozen = null;
    }

    /** The filter text being typed, or null when no prompt is open. */
    String prompt() {
        return prompt == null ? null : prompt.toString();
    }

    void openPrompt() {
        prompt = new StringBuilder();
    }

    void type(char c) {
        prompt.append(c);
    }

    void erase() {
        if (!prompt.isEmpty()) {
            prompt.setLength(prompt.length() - 1);
        }
    }

    /** Closes the prompt and returns what was typed. */
    String closePrompt() {
        String s = prompt.toString();
        prompt = null;
        return s;
    }

    void cancelPrompt() {
        prompt = null;
    }

    /** The answer to the last key ("sorted by ...", an error), or null. */
    String notice() {
        return notice;
    }

    void notice(String text) {
        notice = text;
    }
}
