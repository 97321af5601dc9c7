package dev.bee.cli;

import dev.bee.core.BeeException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sizes on the command line: bytes, k/M/G with or without iB, refused otherwise with the fix. */
class ByteSizeTest {
    @Test
    void unitsArePowersOf1024() {
        assertEquals(65536, ByteSize.parse("--queue-size", "65536"));
        assertEquals(64L << 10, ByteSize.parse("--queue-size", "64k"));
        assertEquals(64L << 10, ByteSize.parse("--queue-size", "64KiB"));
        assertEquals(16L << 20, ByteSize.parse("--queue-size", "16M"));
        assertEquals(16L << 20, ByteSize.parse("--queue-size", "16 MiB"));
        assertEquals(1L << 30, ByteSize.parse("--queue-size", "1GiB"));
        assertEquals(100, ByteSize.parse("--queue-size", "100B"));
    }

    @Test
    void whatIsNotASizeIsAUsageErrorThatSaysTheForm() {
        for (String bad : new String[]{"", "-1", "1.5M", "12T", "M", "64iB", "99999999999"}) {
            BeeException e = assertThrows(BeeException.class, () -> ByteSize.parse("--queue-size", bad), bad);
            assertTrue(e.getMessage().startsWith("--queue-size"), e.getMessage());
        }
    }

    @Test
    void runsDefaultQueueIsTheCoresDefault() {
        String shown = new picocli.CommandLine(new RunCommand()).getCommandSpec().findOption("--queue-size")
                .defaultValue();
        assertEquals(dev.bee.core.watch.WatchOptions.DEFAULT_QUEUE_BYTES, ByteSize.parse("--queue-size", shown));
    }

    @Test
    void sizesAreWrittenInTheLargestWholeUnit() {
        assertEquals("64 MiB", ByteSize.format(64L << 20));
        assertEquals("1 GiB", ByteSize.format(1L << 30));
        assertEquals("96 KiB", ByteSize.format(96L << 10));
        assertEquals("1000 bytes", ByteSize.format(1000));
    }
}
