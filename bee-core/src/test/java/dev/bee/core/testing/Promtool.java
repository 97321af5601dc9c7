package dev.bee.core.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Prometheus' own linter ({@code promtool check metrics}, Debian's {@code prometheus} package) over a scrape. */
public final class Promtool {
    private Promtool() {
    }

    /** What promtool says about {@code exposition} (text format): empty when it passes. */
    public static String problems(String exposition) {
        String promtool = Requirements.requireTool("promtool").toString();
        try {
            Process p = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(exposition.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "promtool did not finish";
            }
            return p.exitValue() == 0 && out.isBlank() ? "" : "exit " + p.exitValue() + ": " + out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
