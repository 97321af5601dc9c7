package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as people and scripts use it, driven in-process with picocli's own writers. */
class CommandLineTest {

    private static List<String> commands() {
        return Main.commandLine().getSubcommands().entrySet().stream()
                .filter(e -> !e.getKey().equals("ls") && !e.getValue().getCommandSpec().usageMessage().hidden())
                .map(Map.Entry::getKey).toList();
    }

    @Test
    void everyCommandAnswersHelpBothWays() {
        for (String c : commands()) {
            for (String flag : List.of("--help", "-h")) {
                CliRun r = CliRun.of(c, flag);
                assertEquals(0, r.exitCode(), c + " " + flag + ": " + r.err());
                assertTrue(r.out().contains("Usage: bee " + c), c + " " + flag + ":\n" + r.out());
                assertTrue(r.err().isEmpty(), r.err());
            }
        }
    }

    @Test
    void aNamedCommandGetsOnlyItselfWithTheSameModel() {
        var tree = Main.commandLine().getSubcommands();
        for (var e : tree.entrySet()) {
            String name = e.getKey();
            assertEquals(e.getValue().getCommand().getClass(), CommandLineScan.of("--storage", "/x", "-v", name, "--", "y").command(), name);
            var lazy = Main.commandLine(name, "--help");
            if (name.equals("help") || name.equals("completion")) {
                assertEquals(tree.keySet(), lazy.getSubcommands().keySet(), name + " reads the whole tree");
                continue;
            }
            var only = lazy.getSubcommands().get(name);
            assertEquals(1, lazy.getSubcommands().values().stream().distinct().count(), name);
            // The same options, and the same usage, as in the whole tree.
            assertEquals(e.getValue().getUsageMessage(), only.getUsageMessage(), name);
        }
        assertEquals(null, CommandLineScan.of("--storage", "run").command());
        assertEquals(null, CommandLineScan.of("nosuch").command());
        assertEquals(tree.keySet(), Main.commandLine("nosuch").getSubcommands().keySet());
    }

    @Test
    void theConfigDirIsFoundBeforePicocliAsPicocliTakesIt() {
        String abs = java.nio.file.Path.of("rel").toAbsolutePath().toString();
        assertEquals(java.util.Optional.of(abs), CommandLineScan.of("run", "--config-dir", "rel", "x.o").configDir());
        assertEquals(java.util.Optional.of("/a"), CommandLineScan.of("--config-dir=/a", "run", "x.o").configDir());
        assertEquals(java.util.Optional.empty(), CommandLineScan.of("run", "x.o", "--", "--config-dir", "/a").configDir());
        assertEquals(java.util.Optional.empty(), CommandLineScan.of("run", "--config-dir").configDir());
        assertEquals(java.util.Optional.empty(), CommandLineScan.of("run", "--config-dir", "bad\u0000path").configDir());
    }

    /** Issue 19 item 13: flags whose values were taken without a word. Each is refused before anything runs. */
    @Test
    void oddFlagValuesAreRefusedAsUsageErrors(@TempDir Path dir) {
        CliRun tc = CliRun.of("run", dir.resolve("none.o").toString(), "--tc-direction", "sideways");
        assertEquals(2, tc.exitCode(), tc.err());
        assertTrue(tc.err().contains("--tc-direction must be ingress or egress, not sideways"), tc.err());
        CliRun section = CliRun.of("init", "--section", "tracepoint/a/b\nint evil;", "--map", "hash", "--output", "print",
                "--file", dir.resolve("p.c").toString());
        assertEquals(2, section.exitCode(), section.err());
        assertTrue(section.err().contains("a section name has no control characters"), section.err());
        assertFalse(Files.exists(dir.resolve("p.c")));
    }

    /** ErrorKind is the one list of exit codes: --help (and so the man page) and the README say the same. */
    @Test
    void exitCodesAreErrorKindsEverywhere() throws Exception {
        java.util.Map<String, String> help = new java.util.LinkedHashMap<>();
        for (String line : Main.class.getAnnotation(picocli.CommandLine.Command.class).exitCodeList()) {
            help.put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1));
        }
        java.util.Map<String, String> kinds = new java.util.LinkedHashMap<>();
        kinds.put("0", "success");
        for (dev.bee.core.ErrorKind k : dev.bee.core.ErrorKind.values()) {
            kinds.put(Integer.toString(k.exitCode()), k.meaning());
        }
        assertEquals(kinds, help);
        String readme = Files.readString(Path.of("..", "README.md"));
        List<String> rows = readme.substring(readme.indexOf("## Exit codes")).lines()
                .filter(l -> l.matches("\\| \\d+ \\|.*")).map(l -> l.split(" ")[1]).toList();
        assertEquals(List.copyOf(kinds.keySet()), rows, "README's exit code table");
        CliRun r = CliRun.of("--help");
        assertTrue(r.out().lines().anyMatch(l -> l.strip().equals("10   " + dev.bee.core.ErrorKind.WRITE.meaning())),
                r.out());
    }

    @Test
    void theCommandListShowsWholeSummaries() {
        CliRun r = CliRun.of("--help");
        assertEquals(0, r.exitCode());
        for (String c : commands()) {
            assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s+" + c + "(, \\w+)?\\s+\\S.*")), c + ":\n" + r.out());
        }
        // A summary is a sentence: each command's line (with its wrapped tail) ends with a full stop.
        String list = r.out().substring(r.out().indexOf("Commands:"), r.out().indexOf("Exit codes:"));
        for (String line : list.split("\n  (?=\\w)")) {
            if (!line.startsWith("Commands:") && !line.isBlank()) {
                assertTrue(line.strip().endsWith("."), "cut summary: " + line);
            }
        }
    }

    @Test
    void beeAloneShowsUsageAndTyposGetASuggestion() {
        CliRun alone = CliRun.of();
        assertEquals(0, alone.exitCode(), alone.err());
        assertTrue(alone.out().contains("Usage: bee"), alone.out());
        CliRun typo = CliRun.of("biuld", "x.c");
        assertEquals(2, typo.exitCode());
        assertTrue(typo.err().contains("unknown command 'biuld'") && typo.err().contains("'bee build'"), typo.err());
        CliRun flag = CliRun.of("run", "--duraton", "3", "x.o");
        assertEquals(2, flag.exitCode());
        assertTrue(flag.err().contains("did you mean 'bee run --duration'"), flag.err());
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheCommand(@TempDir Path dir) {
        Path store = dir.resolve("store");
        for (String[] args : List.of(new String[]{"--storage", store.toString(), "list", "-o", "json"},
                new String[]{"list", "--storage", store.toString(), "-o", "json"},
                new String[]{"-v", "--storage", store.toString(), "list", "-o", "json"},
                new String[]{"--config-dir", dir.toString(), "list", "-o", "json"},
                new String[]{"list", "-d", "--config-dir", dir.toString(), "-o", "json"})) {
            CliRun r = CliRun.of(args);
            assertEquals(0, r.exitCode(), List.of(args) + ": " + r.err());
            assertEquals("[ ]", r.out().strip(), List.of(args) + ": " + r.out());
        }
    }

    @Test
    void versionTellsWhatABugReportNeeds() throws Exception {
        CliRun text = CliRun.of("version");
        assertEquals(0, text.exitCode(), text.err());
        for (String part : List.of("bee ", "commit", "java", "kernel", "libbpf", "clang")) {
            assertTrue(text.out().contains(part), part + ":\n" + text.out());
        }
        assertEquals(text.out(), CliRun.of("--version").out());
        CliRun json = CliRun.of("version", "-o", "json");
        JsonNode v = Json.mapper().readTree(json.out());
        for (String key : List.of("bee", "commit", "java", "kernel", "arch", "libbpf", "clang")) {
            assertFalse(v.path(key).asText().isEmpty(), key + ": " + json.out());
        }
        assertEquals(System.getProperty("os.version"), v.get("kernel").asText().replace("Linux ", ""));
    }

    @Test
    void completionScriptsLoadInBashAndKnowTheCommands() throws Exception {
        CliRun bash = CliRun.of("completion", "bash");
        assertEquals(0, bash.exitCode(), bash.err());
        for (String c : commands()) {
            assertTrue(bash.out().contains(c), c);
        }
        Path script = Files.createTempFile("bee-completion", ".bash");
        try {
            Files.writeString(script, bash.out());
            // Sourced in a real bash, the completion function answers "bee bu<TAB>" with build.
            Process p = new ProcessBuilder("bash", "-c", "source " + script + " && complete -p bee"
                    + " && COMP_WORDS=(bee bu) COMP_CWORD=1 COMP_LINE='bee bu' COMP_POINT=6 && _complete_bee"
                    + " ; echo \"${COMPREPLY[@]}\"").start();
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), out);
            assertTrue(out.contains("-F _complete_bee") && out.contains(" bee\n"), out);
            assertTrue(out.lines().anyMatch(l -> l.trim().equals("build")), out);
        } finally {
            Files.deleteIfExists(script);
        }
        CliRun zsh = CliRun.of("completion", "zsh");
        assertTrue(zsh.out().startsWith("autoload -U +X compinit"), zsh.out());
        assertEquals(2, CliRun.of("completion", "fish").exitCode());
    }

    @Test
    void bumbleBeesSpellingsAreAccepted() {
        Map<String, List<String>> aliases = Map.of(
                "run", List.of("-f", "--filter", "-b", "--hist-buckets", "-k", "--hist-value-key", "-d", "--debug"),
                "build", List.of("--local", "-l"),
                "push", List.of("-u", "--username", "-p", "--password", "-c", "--config"),
                "pull", List.of("-u", "--username", "-p", "--password", "-c", "--config"));
        for (Map.Entry<String, List<String>> e : aliases.entrySet()) {
            var spec = Main.commandLine().getSubcommands().get(e.getKey()).getCommandSpec();
            for (String name : e.getValue()) {
                assertTrue(spec.findOption(name) != null, e.getKey() + " " + name);
            }
        }
    }

    @Test
    void anObjectWhereCIsExpectedIsOneClearLine(@TempDir Path dir) throws Exception {
        Path o = dir.resolve("layout.o");
        Files.write(o, new byte[]{0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0});
        CliRun r = CliRun.of("build", o.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(2, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("is a compiled object (ELF), not C source"), r.err());
        assertTrue(r.out().isEmpty(), r.out());
    }

    @Test
    void badRunFlagsAreUsageErrorsBeforeAnythingLoads() {
        for (String[] args : List.of(new String[]{"run", "x.o", "--perf-freq", "0"},
                new String[]{"run", "x.o", "--perf-freq", "-1"}, new String[]{"run", "x.o", "--pid", "-5"},
                new String[]{"run", "x.o", "--pid", "0"})) {
            CliRun r = CliRun.of(args);
            assertEquals(2, r.exitCode(), List.of(args) + ": " + r.err());
            assertFalse(r.err().contains("libc"), r.err());
        }
    }

    @Test
    void rmiTriesEveryNameAndFailsIfOneIsMissing(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("store");
        Path c = dir.resolve("p.c");
        Files.writeString(c, "int x;");
        // Two images made the quick way: tag one built image twice.
        dev.bee.core.image.ImageStore s = new dev.bee.core.image.ImageStore(store);
        byte[] elf = new byte[64];
        elf[0] = 0x7f; elf[1] = 'E'; elf[2] = 'L'; elf[3] = 'F'; elf[4] = 2; elf[5] = 1; elf[6] = 1; elf[18] = (byte) 247;
        dev.bee.core.image.ImageBuilder.store(s, "a:v1", dev.bee.core.image.ImageBuilder.build(elf,
                new dev.bee.core.image.ImageConfig(dev.bee.core.image.ImageConfig.SCHEMA, null, null, null, null, "GPL",
                        List.of(), List.of(), List.of(), null).toBytes(), Map.of()), null);
        s.tag("a:v1", "c:v1");
        CliRun r = CliRun.of("rmi", "a:v1", "missing:v1", "c:v1", "--storage", store.toString());
        assertEquals(7, r.exitCode(), r.err());
        assertTrue(r.err().contains("missing:v1"), r.err());
        assertTrue(r.err().contains("removed a:v1") && r.err().contains("removed c:v1"), r.err());
    }
}
