package dev.bee.cli.ui;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayoutTest {
    private static List<Layout.Region> of(int height, int panels, int focus) {
        return Layout.of(height, panels, focus).regions();
    }

    @Test
    void equalSharesWithTheRestToTheFocusedPanel() {
        assertEquals(List.of(new Layout.Region(0, 0, 13), new Layout.Region(1, 13, 14), new Layout.Region(2, 27, 13)),
                of(40, 3, 1));
        assertEquals(List.of(new Layout.Region(0, 0, 41)), of(41, 1, 0));
    }

    @Test
    void shortOfRoomTheOthersShrinkToTheirTitle() {
        assertEquals(List.of(new Layout.Region(0, 0, 1), new Layout.Region(1, 1, 1), new Layout.Region(2, 2, 6)),
                of(8, 3, 2));
    }

    @Test
    void shorterStillOnlyTheFocusedPanelShows() {
        assertEquals(List.of(new Layout.Region(1, 0, 4)), of(4, 3, 1));
    }

    @Test
    void nothingToPlace() {
        assertTrue(of(40, 0, 0).isEmpty());
        assertTrue(of(0, 2, 0).isEmpty());
    }

    @Test
    void regionsTileTheAreaForEverySize() {
        for (int height = 1; height <= 60; height++) {
            for (int panels = 1; panels <= 6; panels++) {
                for (int focus = 0; focus < panels; focus++) {
                    int top = 0;
                    boolean hasFocus = false;
                    for (Layout.Region r : of(height, panels, focus)) {
                        assertEquals(top, r.top());
                        assertTrue(r.height() >= 1);
                        top += r.height();
                        hasFocus |= r.panel() == focus;
                    }
                    assertEquals(height, top, height + " rows, " + panels + " panels");
                    assertTrue(hasFocus, "the focused panel is always shown");
                }
            }
        }
    }
}
