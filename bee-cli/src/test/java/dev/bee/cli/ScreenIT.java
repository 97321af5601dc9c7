package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.io.Json;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bee run's live screen in a real terminal (tmux) on the real kernel: the test object counts and
 * reports execs of programs named bsx_* (copies of /bin/true the test runs), and the test reads the
 * screen and types keys as a person would: panels, Tab, filter, sort, pause, resize, a warning, quit;
 * then checks that bee ended cleanly (exit 0, summary, terminal restored, nothing left in the kernel).
 * Ctrl-C, SIGINT and SIGTERM must end the run just as cleanly.
 */
class ScreenIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PROG = "bee_screen_probe";
    private static final String EVENTS = "print_bsx_execs";
    private static final String TABLE = "counter_bsx_execs";
    private static final Pattern EVENT_ROW = Pattern.compile("^  \\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\s+\\d+\\s+(bsx_\\w+)$");
    private static final Pattern TABLE_ROW = Pattern.compile("^  (bsx_\\w+)\\s+(\\d+)$");

    private static Path object;
    private static Path bin;

    @BeforeAll
    static void requirements() throws IOException {
        Requirements.requireRoot();
        Requirements.requireKernelBtf();
        Requirements.requireTool("clang");
        Requirements.requireTool("bpftool");
        Requirements.requireTool("tmux");
        object = TestObjects.object("screen");
        bin = Files.createDirectories(Path.of("target", "screen-bin").toAbsolutePath());
        for (String name : List.of("bsx_alpha", "bsx_beta", "bsx_gamma", "bsx_bad")) {
            Files.copy(Path.of("/bin/true"), bin.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    /** Runs bin/{@code name} {@code times} times; each exec is one event (see screen.c). */
    private static void exec(String name, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            assertEquals(0, new ProcessBuilder(bin.resolve(name).toString()).start().waitFor());
        }
    }

    /** bee run on the test object in a 160x45 terminal, then its exit code and the terminal's settings. */
    private static Tmux startBee() {
        String bee = Tmux.shell(BeeProcess.command("run", object.toString(), "--interval", "200ms"));
        return Tmux.start(bee + "; echo bee-exit=$?; stty -a", 160, 45);
    }

    private static List<String> awaitScreen(Tmux t) {
        return t.await("both panels", WAIT, s -> index(s, EVENTS) >= 0 && index(s, TABLE) >= 0
                && "1".equals(t.display("#{alternate_on}")));
    }

    /** The row of a panel's title line, or -1. */
    private static int index(List<String> s, String panel) {
        for (int i = 0; i < s.size(); i++) {
            if (s.get(i).matches("^[> ] " + panel + " \\[.*")) {
                return i;
            }
        }
        return -1;
    }

    private static String title(List<String> s, String panel) {
        return s.get(index(s, panel));
    }

    /** The commands in the events panel, top to bottom. */
    private static List<String> events(List<String> s) {
        return s.subList(index(s, EVENTS) + 1, index(s, TABLE)).stream().map(EVENT_ROW::matcher)
                .filter(Matcher::matches).map(m -> m.group(1)).toList();
    }

    /** The table panel's rows, top to bottom: command to count. */
    private static Map<String, Long> table(List<String> s) {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String line : s.subList(index(s, TABLE) + 1, s.size() - 2)) {
            Matcher m = TABLE_ROW.matcher(line);
            if (m.matches()) {
                rows.put(m.group(1), Long.parseLong(m.group(2)));
            }
        }
        return rows;
    }

    private static String message(List<String> s) {
        return s.get(s.size() - 2);
    }

    private static String status(List<String> s) {
        return s.get(s.size() - 1);
    }

    @Test
    void showsTheRunAndAnswersEveryKey() throws Exception {
        assertTrue(awaitGone().isEmpty(), "left over from an earlier run");
        try (Tmux t = startBee()) {
            List<String> s = awaitScreen(t);
            assertTrue(s.get(0).startsWith("bee run screen.o  1 attached: " + PROG
                    + " -> tracepoint sched/sched_process_exec"), s.get(0));
            assertTrue(s.get(1).contains("/ filter") && s.get(1).contains("q quit"), s.get(1));
            assertTrue(title(s, EVENTS).startsWith("> " + EVENTS + " [print, ring buffer]"), title(s, EVENTS));
            assertTrue(title(s, TABLE).startsWith("  " + TABLE + " [counter, polled]"), title(s, TABLE));
            assertTrue(status(s).startsWith(EVENTS + ": 0 (0/s), lost unknown, malformed 0 | " + TABLE
                    + ": 0 (0/s), lost 0, malformed 0"), status(s));
            assertEquals(1, loaded().progs().size(), "the program is loaded while the screen is up");

            exec("bsx_alpha", 3);
            exec("bsx_beta", 5);
            exec("bsx_gamma", 1);
            s = t.await("the 9 execs in both panels", WAIT,
                    x -> events(x).size() == 9 && table(x).equals(Map.of("bsx_alpha", 3L, "bsx_beta", 5L, "bsx_gamma", 1L)));
            assertEquals(List.of("bsx_alpha", "bsx_alpha", "bsx_alpha", "bsx_beta", "bsx_beta", "bsx_beta", "bsx_beta",
                    "bsx_beta", "bsx_gamma"), events(s), "events in arrival order");
            assertTrue(status(s).startsWith(EVENTS + ": 9 ("), status(s));

            // Tab moves the focus to the table; s sorts by each column in turn, S reverses.
            t.sendKeys("Tab");
            t.await("the table focused", WAIT, x -> title(x, TABLE).startsWith("> " + TABLE)
                    && title(x, EVENTS).startsWith("  " + EVENTS));
            t.sendKeys("s");
            s = t.await("sorted by comm", WAIT, x -> title(x, TABLE).contains("sort comm asc"));
            assertEquals(List.of("bsx_alpha", "bsx_beta", "bsx_gamma"), List.copyOf(table(s).keySet()));
            t.sendKeys("s");
            s = t.await("sorted by value", WAIT, x -> title(x, TABLE).contains("sort value asc"));
            assertEquals(List.of("bsx_gamma", "bsx_alpha", "bsx_beta"), List.copyOf(table(s).keySet()));
            t.sendKeys("S");
            s = t.await("sorted by value, descending", WAIT, x -> title(x, TABLE).contains("sort value desc"));
            assertEquals(List.of("bsx_beta", "bsx_alpha", "bsx_gamma"), List.copyOf(table(s).keySet()));

            // / filters the focused panel only, FIELD=REGEX or FIELD REGEX; an empty line clears.
            t.sendKeys("/");
            t.await("the filter prompt", WAIT, x -> message(x).startsWith("filter " + TABLE + " (FIELD REGEX or FIELD=REGEX"));
            t.type("comm=alp");
            t.sendKeys("Enter");
            s = t.await("the table filtered", WAIT, x -> title(x, TABLE).contains("filter comm~alp: 1 shown"));
            assertEquals(Map.of("bsx_alpha", 3L), table(s));
            assertEquals(9, events(s).size(), "the other panel is not filtered");
            t.sendKeys("BTab");
            t.await("the events focused", WAIT, x -> title(x, EVENTS).startsWith("> " + EVENTS));
            t.sendKeys("/");
            t.type("comm beta");
            t.sendKeys("Enter");
            s = t.await("the events filtered", WAIT, x -> title(x, EVENTS).contains("filter comm~beta: 5 shown"));
            assertEquals(List.of("bsx_beta", "bsx_beta", "bsx_beta", "bsx_beta", "bsx_beta"), events(s));
            assertTrue(status(s).startsWith(EVENTS + ": 9 ("), "display only: counts unchanged: " + status(s));
            t.sendKeys("/", "Enter");
            s = t.await("the filter cleared", WAIT, x -> message(x).equals("filter of " + EVENTS + " cleared"));
            assertEquals(9, events(s).size());
            t.sendKeys("Tab", "/", "Enter");
            s = t.await("the table's filter cleared", WAIT, x -> message(x).equals("filter of " + TABLE + " cleared"));
            assertEquals(List.of("bsx_beta", "bsx_alpha", "bsx_gamma"), List.copyOf(table(s).keySet()), "still sorted");

            // p freezes the panels, not the counts.
            t.sendKeys("p");
            t.await("PAUSED", WAIT, x -> status(x).startsWith("PAUSED " + EVENTS + ": 9 ("));
            exec("bsx_gamma", 2);
            s = t.await("counts going on while paused", WAIT, x -> status(x).startsWith("PAUSED " + EVENTS + ": 11 ("));
            BeeProcess.sleep(700); // a few more frames: the panels must still not move
            s = t.screen();
            assertEquals(9, events(s).size(), "paused panels keep what they showed");
            assertEquals(1L, table(s).get("bsx_gamma"));
            t.sendKeys("p");
            s = t.await("the panels catching up", WAIT, x -> !status(x).startsWith("PAUSED")
                    && events(x).size() == 11 && Long.valueOf(3).equals(table(x).get("bsx_gamma")));

            // A warning (a malformed event) shows on the message line and in the counts.
            exec("bsx_bad", 1);
            s = t.await("the warning", WAIT, x -> message(x).contains(EVENTS + ": an event of 4 bytes does not match")
                    && status(x).startsWith(EVENTS + ": 11 (") && status(x).contains("malformed 1 |"));

            // Resize: the same screen, redrawn to the new size.
            t.resize(100, 30);
            s = t.await("the screen at 100x30", WAIT, x -> x.size() == 30 && index(x, EVENTS) >= 0
                    && x.get(x.size() - 1).startsWith(EVENTS + ": 11 ("));
            for (String line : s) {
                assertTrue(line.length() <= 100, line);
            }
            assertTrue(s.get(0).startsWith("bee run screen.o"), s.get(0));
            assertEquals(Map.of("bsx_alpha", 3L, "bsx_beta", 5L, "bsx_gamma", 3L), table(s));

            // q ends the run as the line output's Ctrl-C would: detached, terminal restored, summary.
            t.sendKeys("q");
            List<String> end = t.await("bee's exit", WAIT, x -> x.stream().anyMatch(l -> l.startsWith("bee-exit=")));
            List<String> lines = t.joinedScreen();
            endedCleanly(t, lines, "quit");
            int warning = indexOf(lines, "print_bsx_execs: an event of 4 bytes does not match");
            assertTrue(warning >= 0 && warning < indexOf(lines, "bee: stopped"),
                    "the held-back warning is printed after the screen, before the summary:\n" + String.join("\n", end));
            assertTrue(lines.stream().anyMatch(l -> l.matches("^print_bsx_execs\\s+ring buffer\\s+11\\s+11\\s+0\\s+unknown\\s+1$")),
                    String.join("\n", lines));
        }
        assertTrue(awaitGone().isEmpty(), "still in the kernel after q: " + loaded());
    }

    /** Ctrl-C typed on the screen, kill -INT and kill -TERM each end the run cleanly. */
    @ParameterizedTest
    @ValueSource(strings = {"C-c", "INT", "TERM"})
    void stopsCleanly(String how) throws Exception {
        assertTrue(awaitGone().isEmpty(), "left over from an earlier run");
        try (Tmux t = startBee()) {
            awaitScreen(t);
            exec("bsx_alpha", 1);
            t.await("an event", WAIT, x -> events(x).size() == 1);
            if (how.equals("C-c")) {
                t.sendKeys("C-c");
            } else {
                long pid = beePid(t);
                new ProcessBuilder("kill", "-" + how, Long.toString(pid)).inheritIO().start().waitFor();
            }
            t.await("bee's exit", WAIT, x -> x.stream().anyMatch(l -> l.startsWith("bee-exit=")));
            endedCleanly(t, t.joinedScreen(), how.equals("C-c") ? "quit" : "SIG" + how);
        }
        assertTrue(awaitGone().isEmpty(), "still in the kernel after " + how + ": " + loaded());
    }

    /** Exit 0, the summary with the reason, the normal screen back, and the terminal's settings as before. */
    private static void endedCleanly(Tmux t, List<String> lines, String reason) {
        String all = String.join("\n", lines);
        assertTrue(lines.contains("bee-exit=0"), all);
        assertTrue(indexOf(lines, "bee: stopped (" + reason + ") after ") >= 0, all);
        assertEquals("0", t.display("#{alternate_on}"), "the alternate screen is left");
        Set<String> stty = new HashSet<>(List.of(all.substring(all.indexOf("bee-exit=0")).split("[\\s;]+")));
        for (String flag : List.of("isig", "icanon", "echo", "icrnl", "ixon")) {
            assertTrue(stty.contains(flag) && !stty.contains("-" + flag), "terminal setting " + flag + " restored:\n" + all);
        }
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    /** bee's pid: the java process the pane's shell started. */
    private static long beePid(Tmux t) {
        long shell = Long.parseLong(t.display("#{pane_pid}"));
        return ProcessHandle.of(shell).orElseThrow().children()
                .filter(p -> p.info().command().orElse("").endsWith("java")).findFirst()
                .orElseThrow(() -> new AssertionError("no java under the pane's shell " + shell)).pid();
    }

    private record Loaded(Set<Long> progs, Set<Long> links) {
        boolean isEmpty() {
            return progs.isEmpty() && links.isEmpty();
        }
    }

    private static Loaded loaded() {
        try {
            Set<Long> progs = new HashSet<>();
            for (JsonNode p : Json.mapper().readTree(Examples.exec("bpftool", "-j", "prog", "show"))) {
                if (PROG.equals(p.path("name").asText())) {
                    progs.add(p.get("id").asLong());
                }
            }
            Set<Long> links = new HashSet<>();
            for (JsonNode l : Json.mapper().readTree(Examples.exec("bpftool", "-j", "link", "show"))) {
                if (progs.contains(l.path("prog_id").asLong())) {
                    links.add(l.get("id").asLong());
                }
            }
            return new Loaded(progs, links);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The kernel frees programs a moment after their last reference goes: checked for up to 3 seconds. */
    private static Loaded awaitGone() {
        Loaded l = loaded();
        for (int i = 0; i < 30 && !l.isEmpty(); i++) {
            BeeProcess.sleep(100);
            l = loaded();
        }
        return l;
    }
}
