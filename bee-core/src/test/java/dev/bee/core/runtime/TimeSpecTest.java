package dev.bee.core.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Time flags read and written back in their normal form. */
class TimeSpecTest {

    @Test
    void plainSecondsAndUnitsAreRead() {
        assertEquals(Duration.ofSeconds(4), TimeSpec.parse("4"));
        assertEquals(Duration.ofMillis(1500), TimeSpec.parse("1.5"));
        assertEquals(Duration.ofMillis(500), TimeSpec.parse("500ms"));
        assertEquals(Duration.ofMinutes(2), TimeSpec.parse("2m"));
    }

    @Test
    void formatUsesTheLargestWholeUnit() {
        assertEquals("4s", TimeSpec.format(TimeSpec.parse("4")));
        assertEquals("2m", TimeSpec.format(TimeSpec.parse("120")));
        assertEquals("90s", TimeSpec.format(TimeSpec.parse("90")));
        assertEquals("1h", TimeSpec.format(TimeSpec.parse("60m")));
        assertEquals("1500ms", TimeSpec.format(TimeSpec.parse("1.5")));
        assertEquals("250us", TimeSpec.format(TimeSpec.parse("0.25ms")));
        assertEquals("7ns", TimeSpec.format(TimeSpec.parse("7ns")));
        assertEquals("0s", TimeSpec.format(TimeSpec.parse("0")));
    }

    @Test
    void formatReadsBackToTheSameDuration() {
        for (String t : new String[]{"4", "1.5", "0.001", "2m", "1h", "36h", "3us", "12345ns", "61"}) {
            Duration d = TimeSpec.parse(t);
            assertEquals(d, TimeSpec.parse(TimeSpec.format(d)), t);
        }
    }
}
