package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs opensnoop from an image (bee run REF, a separate process on the real kernel), opens a unique
 * file, and checks that bee showed exactly that open: proof that an image runs, whoever made it.
 */
final class OpensnoopCheck {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private OpensnoopCheck() {
    }

    static void runShowsThisTestsOpen(String ref, Path store, Path tmp) throws IOException {
        Path file = tmp.resolve("bee-open-" + UUID.randomUUID().toString().substring(0, 8));
        Files.writeString(file, "x");
        try (BeeProcess run = BeeProcess.start("run", ref, "--storage", store.toString(), "-o", "json",
                "--duration", "30s", "--set", "target_pid=" + ProcessHandle.current().pid(),
                "--filter", "print_opens,filename," + file.getFileName(), "--max-events", "1")) {
            run.awaitAttached(TIMEOUT);
            Files.readAllBytes(file);
            assertEquals(0, run.waitFor(TIMEOUT), run.err());
            List<JsonNode> events = run.records("print_opens");
            assertEquals(1, events.size(), run.out() + run.err());
            assertEquals(file.toString(), events.get(0).get("event").get("filename").asText());
        }
    }
}
