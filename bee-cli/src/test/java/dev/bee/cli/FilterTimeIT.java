package dev.bee.cli;

import dev.bee.core.testing.Examples;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A filter that a backtracking engine takes exponential time on, (.*a){12}$, over real events of 40-character
 * file names: records still flow and SIGTERM ends the run promptly. With java.util.regex the first
 * such name stopped every record, held a core and left SIGTERM unanswered.
 */
class FilterTimeIT {
    private static final long MY_PID = ProcessHandle.current().pid();

    @TempDir
    Path tmp;

    @Test
    void aBusyRunWithACatastrophicPatternStillShowsRecordsAndEndsOnSigterm() throws Exception {
        Requirements.requireRoot();
        Path obj = Examples.object("opensnoop");
        Path miss = Files.writeString(tmp.resolve("a".repeat(39) + "b"), "x");
        Path hit = Files.writeString(tmp.resolve("a".repeat(40)), "x");
        AtomicBoolean stop = new AtomicBoolean();
        Thread opener = new Thread(() -> {
            while (!stop.get()) {
                try {
                    Files.readAllBytes(miss);
                    Files.readAllBytes(hit);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        try (BeeProcess bee = BeeProcess.start("run", obj.toString(), "--no-tty", "--prom-port", "0",
                "--set", "target_pid=" + MY_PID, "--filter", "print_opens,filename,(.*a){12}$")) {
            bee.awaitAttached(Duration.ofSeconds(60));
            opener.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!bee.out().contains(hit.getFileName().toString()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(bee.out().contains(hit.getFileName().toString()), "matching records flow:\n" + bee.err());
            Thread.sleep(1000);
            long signalled = System.nanoTime();
            bee.signal("TERM");
            assertEquals(0, bee.waitFor(Duration.ofSeconds(10)), bee.err());
            long ms = (System.nanoTime() - signalled) / 1_000_000;
            assertTrue(ms < 5_000, "SIGTERM took " + ms + " ms");
            assertTrue(bee.err().contains("stopped (SIGTERM)"), bee.err());
            assertTrue(!bee.out().contains(miss.getFileName().toString()), "the other name is filtered out");
        } finally {
            stop.set(true);
            opener.join();
        }
    }
}
