package dev.bee.core.decode;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Time flags (and --set on a duration) read, refused, and written back in their normal form. */
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

    @Test
    void everyUnitIsRead() {
        assertEquals(Duration.ofNanos(7), TimeSpec.parse("7ns"));
        assertEquals(Duration.ofNanos(3_000), TimeSpec.parse("3us"));
        assertEquals(Duration.ofNanos(3_000), TimeSpec.parse("3µs"));
        assertEquals(Duration.ofMillis(250), TimeSpec.parse("250ms"));
        assertEquals(Duration.ofSeconds(5), TimeSpec.parse("5s"));
        assertEquals(Duration.ofMinutes(2), TimeSpec.parse("2m"));
        assertEquals(Duration.ofHours(36), TimeSpec.parse("36h"));
        assertEquals(Duration.ofMillis(2500), TimeSpec.parse("2.5s"));
        assertEquals(Duration.ZERO, TimeSpec.parse("0"));
    }

    @Test
    void caseAndSpacesDoNotMatter() {
        assertEquals(Duration.ofMillis(500), TimeSpec.parse("500MS"));
        assertEquals(Duration.ofSeconds(5), TimeSpec.parse(" 5 s "));
        assertEquals(Duration.ofHours(1), TimeSpec.parse("1H"));
    }

    @Test
    void whatIsNotATimeIsAUsageErrorThatShowsTheForms() {
        for (String bad : new String[]{"", "  ", "abc", "5x", "-1", "-5s", "1e3", ".5", "5 s s", "1,5", "5sec", "ms"}) {
            BeeException e = assertThrows(BeeException.class, () -> TimeSpec.parse(bad), bad);
            assertEquals(ErrorKind.USAGE, e.kind(), bad);
            assertEquals("'" + bad + "' is not a time", e.getMessage(), bad);
            assertTrue(e.hint().contains("500ms"), e.hint());
        }
        BeeException e = assertThrows(BeeException.class, () -> TimeSpec.parse(null));
        assertEquals(ErrorKind.USAGE, e.kind());
    }

    @Test
    void aTimeTooLongForNanosecondsIsRefused() {
        assertEquals(Duration.ofHours(1_000_000), TimeSpec.parse("1000000h"), "about 114 years still fits");
        BeeException e = assertThrows(BeeException.class, () -> TimeSpec.parse("2000000h"));
        assertEquals(ErrorKind.USAGE, e.kind());
        assertEquals("'2000000h' is too long a time", e.getMessage());
        assertThrows(BeeException.class, () -> TimeSpec.parse("99999999999999999999"));
    }

    @Test
    void formatFallsBackToNanosecondsAndKeepsOddMicroseconds() {
        assertEquals("1001ns", TimeSpec.format(Duration.ofNanos(1001)));
        assertEquals("1001us", TimeSpec.format(Duration.ofNanos(1_001_000)));
        assertEquals("61s", TimeSpec.format(Duration.ofSeconds(61)));
        assertEquals("25h", TimeSpec.format(Duration.ofHours(25)));
    }
}
