package dev.bee.cli.ui;

import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

import java.io.IOException;
import java.util.List;

/**
 * The terminal while the screen owns it: raw mode, the alternate screen, no cursor, and a display that
 * rewrites only the lines that changed. {@link #close()} puts back the cursor, the normal screen and the
 * original terminal attributes, on every path and only once.
 *
 * <p>Signals stay bee's: the terminal is built without JLine's native signal handlers (which would
 * replace bee's SIGINT handler with one that kills the JVM without detaching the programs), and raw
 * mode also turns off ISIG, so Ctrl-C reaches the screen as a key instead of as a signal. A
 * {@code kill -INT} or {@code -TERM} still goes to bee's handlers. Resizes are noticed by reading the
 * size at each frame (an ioctl), not through SIGWINCH, so no handler is touched at all.
 */
final class TerminalSession implements AutoCloseable {
    /** What {@link #read} returns when nothing was typed in time, and when input has ended. */
    static final int TIMEOUT = NonBlockingReader.READ_EXPIRED;
    static final int END = NonBlockingReader.EOF;

    private final Terminal terminal;
    private final Attributes original;
    private final Display display;
    private Size drawn;
    private boolean closed;

    private TerminalSession(Terminal terminal, Attributes original) {
        this.terminal = terminal;
        this.original = original;
        this.display = new Display(terminal, true);
    }

    /**
     * Takes over the terminal on stdout.
     *
     * @throws IOException when stdout is not a terminal that can address the cursor
     */
    static TerminalSession open() throws IOException {
        Terminal t = TerminalBuilder.builder().system(true).systemOutput(TerminalBuilder.SystemOutput.SysOut)
                .nativeSignals(false).dumb(false).build();
        if (t.getStringCapability(Capability.cursor_address) == null) {
            String type = t.getType();
            t.close();
            throw new IOException("terminal type '" + type + "' cannot move the cursor");
        }
        Attributes original = t.enterRawMode();
        try {
            Attributes raw = t.getAttributes();
            raw.setLocalFlag(Attributes.LocalFlag.ISIG, false);
            t.setAttributes(raw);
            t.puts(Capability.enter_ca_mode);
            t.puts(Capability.cursor_invisible);
            t.puts(Capability.clear_screen);
            t.flush();
            return new TerminalSession(t, original);
        } catch (RuntimeException e) {
            t.setAttributes(original);
            t.close();
            throw e;
        }
    }

    /** One character typed, {@link #TIMEOUT} after {@code millis} without input, or {@link #END}. */
    int read(long millis) {
        try {
            return terminal.reader().read(millis);
        } catch (IOException e) {
            return END;
        }
    }

    Size size() {
        return terminal.getSize();
    }

    /** Shows {@code lines} (one per row of {@code size}); a new size repaints everything. */
    void draw(List<AttributedString> lines, Size size) {
        if (!size.equals(drawn)) {
            display.resize(size.getRows(), size.getColumns());
            display.clear();
            drawn = size;
        }
        display.update(lines, 0);
    }

    /** Leaves the alternate screen, shows the cursor and restores the attributes bee started with. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            terminal.puts(Capability.cursor_visible);
            terminal.puts(Capability.exit_ca_mode);
            terminal.flush();
            terminal.setAttributes(original);
        } finally {
            try {
                terminal.close();
            } catch (IOException e) {
                // the attributes are back; a failed close only leaves JLine's reader thread behind
            }
        }
    }
}
