package dev.bee.core.runtime;

import dev.bee.core.libbpf.Fds;

/**
 * Whether anyone still reads bee's standard output. When it is a pipe whose reader has gone
 * ({@code bee run -o json | head -1}), the run should end at once, not when the next record fails to
 * write, which may be long after with a quiet program. Checked at most every 50 ms.
 */
public final class StdoutReaderCheck {
    private static final long EVERY_NANOS = 50_000_000L;
    private long nextCheck = System.nanoTime();
    private boolean gone;

    public boolean gone() {
        long now = System.nanoTime();
        if (!gone && now - nextCheck >= 0) {
            nextCheck = now + EVERY_NANOS;
            gone = Fds.readerGone(1);
        }
        return gone;
    }
}
