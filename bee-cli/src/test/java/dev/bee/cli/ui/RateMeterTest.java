package dev.bee.cli.ui;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RateMeterTest {
    private static final long S = 1_000_000_000L;

    @Test
    void ratePerWindowOfAtLeastASecond() {
        RateMeter m = new RateMeter();
        assertEquals(0, m.update(0, 500), "no rate before a whole window");
        assertEquals(0, m.update(S / 2, 50_000));
        assertEquals(100_000, m.update(S, 100_500));
        assertEquals(100_000, m.update(S + S / 10, 100_600), "steady between windows");
        assertEquals(100, m.update(3 * S + S / 10, 100_710), "210 more over the 2.1s since the last window");
    }
}
