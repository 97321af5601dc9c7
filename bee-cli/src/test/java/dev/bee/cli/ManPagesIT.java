package dev.bee.cli;

import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The man pages the build writes (target/man, from the commands' own model) render with man. */
class ManPagesIT {
    @Test
    void everyCommandHasAManPageThatRenders() throws Exception {
        Requirements.requireTool("asciidoctor");
        Requirements.requireTool("man");
        Path dir = Path.of("target", "man");
        for (String c : Main.commandLine().getSubcommands().keySet()) {
            if (c.equals("ls") || Main.commandLine().getSubcommands().get(c).getCommandSpec().usageMessage().hidden()) {
                continue;
            }
            Path page = dir.resolve("bee-" + c + ".1");
            assertTrue(Files.isRegularFile(page), "no man page " + page);
        }
        Process p = new ProcessBuilder("man", "-l", dir.resolve("bee-run.1").toString())
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String text = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), text);
        assertTrue(text.contains("bee-run - Load, attach and watch an eBPF program"), text);
        assertTrue(text.contains("--prom-port"), text);
        assertTrue(Files.readString(dir.resolve("bee.1")).contains("\\fBbuild\\fP"), "bee(1) lists its commands");
    }
}
