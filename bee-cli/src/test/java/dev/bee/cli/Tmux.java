package dev.bee.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A real terminal for tests: a tmux server on a socket of its own (so it never meets the user's tmux)
 * with one detached session running a shell command. Tests type with {@link #sendKeys}, read the
 * screen with {@link #screen()} and wait for it with {@link #await}.
 */
final class Tmux implements AutoCloseable {
    private final String socket = "bee-test-" + UUID.randomUUID().toString().substring(0, 8);
    /** Where the server listens; tmux leaves the file behind when the server ends. */
    private Path socketPath;

    private Tmux() {
    }

    /**
     * Starts {@code command} (run by sh) in a {@code width} x {@code height} session. TERM is "screen",
     * a type JLine knows without terminfo; the pane stays after the command ends so its last screen can
     * still be read.
     */
    static Tmux start(String command, int width, int height) {
        Tmux t = new Tmux();
        t.tmux("-f", "/dev/null", "new-session", "-d", "-s", "bee", "-x", Integer.toString(width),
                "-y", Integer.toString(height), "sleep 600");
        t.tmux("set-option", "-g", "default-terminal", "screen");
        t.tmux("set-option", "-g", "remain-on-exit", "on");
        t.tmux("respawn-pane", "-k", "-t", "bee", command);
        t.socketPath = Path.of(t.display("#{socket_path}"));
        return t;
    }

    /** Quotes {@code args} for sh. */
    static String shell(List<String> args) {
        return args.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
    }

    /** Sends keys as tmux names them ({@code Tab}, {@code BTab}, {@code C-c}, {@code Enter}) or literal text with {@code -l}. */
    void sendKeys(String... keys) {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "bee"));
        args.addAll(Arrays.asList(keys));
        tmux(args.toArray(new String[0]));
    }

    /** Types {@code text} as it is. */
    void type(String text) {
        sendKeys("-l", text);
    }

    /** The visible screen, one string per row (trailing blanks removed). */
    List<String> screen() {
        return capture("capture-pane", "-p", "-t", "bee");
    }

    /** The visible screen with lines the terminal wrapped joined again (for text printed as lines). */
    List<String> joinedScreen() {
        return capture("capture-pane", "-p", "-J", "-t", "bee");
    }

    private List<String> capture(String... args) {
        String out = tmux(args);
        List<String> lines = new ArrayList<>();
        for (String l : out.split("\n", -1)) {
            lines.add(l.stripTrailing());
        }
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty() && out.endsWith("\n")) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    /** A tmux format for the pane, e.g. {@code #{alternate_on}}, {@code #{pane_pid}}, {@code #{pane_dead}}. */
    String display(String format) {
        return tmux("display-message", "-p", "-t", "bee", format).strip();
    }

    void resize(int width, int height) {
        tmux("resize-window", "-t", "bee", "-x", Integer.toString(width), "-y", Integer.toString(height));
    }

    /** Waits until the screen satisfies {@code condition}; fails with {@code what} and the screen after {@code timeout}. */
    List<String> await(String what, Duration timeout, Predicate<List<String>> condition) {
        long end = System.nanoTime() + timeout.toNanos();
        List<String> s = screen();
        while (!condition.test(s)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the screen did not show " + what + " within " + timeout + ":\n"
                        + String.join("\n", s));
            }
            BeeProcess.sleep(100);
            s = screen();
        }
        return s;
    }

    private String tmux(String... args) {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(Arrays.asList(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        try {
            tmux("kill-server");
        } catch (AssertionError e) {
            // the server already ended
        }
        try {
            if (socketPath != null) {
                Files.deleteIfExists(socketPath);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
