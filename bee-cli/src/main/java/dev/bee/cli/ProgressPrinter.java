package dev.bee.cli;

import dev.bee.core.image.Digests;
import dev.bee.core.image.TransferProgress;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/**
 * Push and pull progress on stderr: a progress bar per blob on a terminal, one quiet line per blob
 * otherwise (CI logs).
 */
final class ProgressPrinter implements TransferProgress {
    private final PrintStream err;
    private final boolean tty;
    private final String verb;
    private ProgressBar bar;

    ProgressPrinter(PrintStream err, boolean tty, String verb) {
        this.err = err;
        this.tty = tty;
        this.verb = verb;
    }

    /** A printer for {@code verb} ("pushing", "pulling") that draws bars when stderr is a terminal. */
    static ProgressPrinter forStderr(String verb) {
        return new ProgressPrinter(System.err, System.console() != null, verb);
    }

    @Override
    public void start(String what, String digest, long size) {
        if (tty) {
            bar = new ProgressBarBuilder().setTaskName(verb + " " + what).setInitialMax(Math.max(size, 1))
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" B", 1).showSpeed().continuousUpdate().build();
        }
    }

    @Override
    public void advance(long bytes) {
        if (bar != null) {
            bar.stepBy(bytes);
        }
    }

    @Override
    public void done(String what, String digest, long size, boolean skipped) {
        if (bar != null) {
            bar.stepTo(Math.max(size, 1));
            bar.close();
            bar = null;
        }
        if (skipped) {
            err.println("bee: " + what + ": already there");
        } else if (!tty) {
            err.println("bee: " + verb + " " + what + " (" + Digests.humanSize(size) + ") done");
        }
        err.flush();
    }
}
