package dev.bee.cli.ui;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each panel goes in the rows the panels share. Every panel gets an equal share when each can
 * have at least {@link #MIN_HEIGHT} rows (title, column header, one row), the focused one the rows left
 * over. With less room the other panels shrink to their title line, and with less still only the
 * focused panel is shown, so Tab always brings any panel into view.
 */
record Layout(List<Region> regions) {
    static final int MIN_HEIGHT = 3;

    /** Rows {@code top} to {@code top + height - 1} (relative to the panel area) belong to panel {@code panel}. */
    record Region(int panel, int top, int height) {
    }

    static Layout of(int height, int panels, int focus) {
        List<Region> out = new ArrayList<>();
        if (panels == 0 || height <= 0) {
            return new Layout(out);
        }
        if (height >= panels * MIN_HEIGHT) {
            int share = height / panels;
            int extra = height % panels;
            int top = 0;
            for (int i = 0; i < panels; i++) {
                int h = share + (i == focus ? extra : 0);
                out.add(new Region(i, top, h));
                top += h;
            }
        } else if (height - (panels - 1) >= MIN_HEIGHT) {
            int top = 0;
            for (int i = 0; i < panels; i++) {
                int h = i == focus ? height - (panels - 1) : 1;
                out.add(new Region(i, top, h));
                top += h;
            }
        } else {
            out.add(new Region(focus, 0, height));
        }
        return new Layout(List.copyOf(out));
    }
}
