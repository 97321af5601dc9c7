package dev.bee.cli.ui;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StderrCaptureTest {
    @Test
    void holdsStderrShowsTheLatestLineAndReplaysOnClose() {
        PrintStream before = System.err;
        ByteArrayOutputStream real = new ByteArrayOutputStream();
        PrintStream realErr = new PrintStream(real, true, StandardCharsets.UTF_8);
        System.setErr(realErr);
        try {
            StderrCapture c = StderrCapture.start();
            assertNull(c.latestLine());
            System.err.println("bee: warning: one");
            System.err.print("bee: warning: two, still being writ");
            assertEquals("bee: warning: one", c.latestLine(), "only complete lines");
            System.err.println("ten");
            System.err.println("   ");
            assertEquals("bee: warning: two, still being written", c.latestLine());
            assertEquals("", real.toString(StandardCharsets.UTF_8), "nothing reaches the terminal meanwhile");
            c.close();
            assertSame(realErr, System.err);
            String replayed = "bee: warning: one\nbee: warning: two, still being written\n   \n";
            assertEquals(replayed, real.toString(StandardCharsets.UTF_8));
            c.close();
            assertEquals(replayed, real.toString(StandardCharsets.UTF_8), "closing again replays nothing twice");
        } finally {
            System.setErr(before);
        }
    }

    @Test
    void aFloodIsCutAndSaysHowMuch() {
        PrintStream before = System.err;
        ByteArrayOutputStream real = new ByteArrayOutputStream();
        System.setErr(new PrintStream(real, true, StandardCharsets.UTF_8));
        try {
            StderrCapture c = StderrCapture.start();
            byte[] line = "0123456789abcde\n".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < StderrCapture.LIMIT / line.length + 10; i++) {
                System.err.write(line, 0, line.length);
            }
            c.close();
            String out = real.toString(StandardCharsets.UTF_8);
            assertTrue(out.endsWith("bee: (160 more bytes of messages were dropped while the screen was up)\n"), out.substring(out.length() - 100));
        } finally {
            System.setErr(before);
        }
    }
}
