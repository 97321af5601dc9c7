package dev.bee.cli.ui;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Holds what bee writes to System.err while the screen is up (slf4j-simple looks System.err up at each
 * log call, so warnings land here instead of across the screen), remembers the latest line for the
 * screen to show, and writes everything to the real stderr once the terminal is restored. Keeps at most
 * {@link #LIMIT} bytes and says how many more it dropped.
 */
final class StderrCapture implements AutoCloseable {
    static final int LIMIT = 1 << 20;

    private final PrintStream original;
    private final Buffer buffer = new Buffer();
    private final PrintStream capturing = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    private boolean closed;

    private StderrCapture(PrintStream original) {
        this.original = original;
    }

    static StderrCapture start() {
        StderrCapture c = new StderrCapture(System.err);
        System.setErr(c.capturing);
        return c;
    }

    /** The last complete non-blank line written so far, or null. */
    String latestLine() {
        return buffer.latest;
    }

    /** Puts the real stderr back and replays what was captured to it. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (System.err == capturing) {
            System.setErr(original);
        }
        capturing.flush();
        synchronized (buffer) {
            original.write(buffer.kept.toByteArray(), 0, buffer.kept.size());
            if (buffer.dropped > 0) {
                original.println("bee: (" + buffer.dropped + " more bytes of messages were dropped while the screen was up)");
            }
        }
        original.flush();
    }

    /** The captured bytes, and the line being written to find the latest complete one. */
    private static final class Buffer extends OutputStream {
        final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        long dropped;
        volatile String latest;

        @Override
        public synchronized void write(int b) {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int keep = Math.max(0, Math.min(len, LIMIT - kept.size()));
            kept.write(b, off, keep);
            dropped += len - keep;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    String s = line.toString(StandardCharsets.UTF_8).strip();
                    if (!s.isEmpty()) {
                        latest = s;
                    }
                    line.reset();
                } else if (line.size() < 4096) {
                    line.write(b[i]);
                }
            }
        }
    }
}
