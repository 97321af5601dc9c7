package dev.bee.core.image.container;

import com.google.cloud.tools.jib.api.JibEvent;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.cloud.tools.jib.event.progress.Allocation;
import dev.bee.core.image.Digests;
import dev.bee.core.image.TransferProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Jib's events into bee's {@link TransferProgress} (blob pushes and base layer pulls: started,
 * bytes, done; blobs the registry already had: skipped) and its log into slf4j (logger {@code jib},
 * shown with {@code -v}). Jib moves several blobs at once on its own threads; the printer draws one at
 * a time, so one transfer is followed and the others are reported when they end.
 */
final class JibProgress implements java.util.function.Consumer<JibEvent> {
    private static final Logger LOG = LoggerFactory.getLogger("jib");
    private static final Pattern PUSHING = Pattern.compile("pushing blob (sha256:[0-9a-f]{64})");
    private static final Pattern PULLING = Pattern.compile("pulling base image layer (sha256:[0-9a-f]{64})");
    private static final Pattern SKIPPED = Pattern.compile("Skipping (?:push|pull); BLOB already exists on target registry"
            + " : digest: (sha256:[0-9a-f]{64}), size: (\\d+)");
    private static final Pattern BASE_DIGEST = Pattern.compile("Using base image with digest: (sha256:[0-9a-f]{64})");

    private final TransferProgress pushes;
    private final TransferProgress pulls;
    private final Map<Allocation, Blob> blobs = new HashMap<>();
    private final Set<String> reported = new HashSet<>();
    private final AtomicReference<String> baseDigest = new AtomicReference<>();
    private Blob current;

    private static final class Blob {
        final TransferProgress progress;
        final String what;
        final String digest;
        final long size;
        long sent;
        boolean done;

        Blob(TransferProgress progress, String what, String digest, long size) {
            this.progress = progress;
            this.what = what;
            this.digest = digest;
            this.size = size;
        }
    }

    /** Pushes are reported to {@code pushes}, pulls of base layers to {@code pulls}. */
    JibProgress(TransferProgress pushes, TransferProgress pulls) {
        this.pushes = pushes;
        this.pulls = pulls;
    }

    /** The base image's manifest digest, once Jib has resolved it (else null). */
    String baseDigest() {
        return baseDigest.get();
    }

    @Override
    public void accept(JibEvent event) {
        try {
            if (event instanceof ProgressEvent p) {
                onProgress(p.getAllocation(), p.getUnits());
            } else if (event instanceof LogEvent l) {
                onLog(l);
            }
        } catch (RuntimeException e) {
            LOG.debug("progress display failed", e);
        }
    }

    private synchronized void onProgress(Allocation a, long units) {
        Blob b = blobs.get(a);
        if (b == null) {
            Matcher push = PUSHING.matcher(a.getDescription());
            Matcher pull = PULLING.matcher(a.getDescription());
            if (push.matches()) {
                b = new Blob(pushes, label(a, push.group(1)), push.group(1), a.getAllocationUnits());
            } else if (pull.matches()) {
                b = new Blob(pulls, "base layer " + Digests.shortForm(pull.group(1)), pull.group(1), a.getAllocationUnits());
            } else {
                return;
            }
            blobs.put(a, b);
        }
        if (b.done) {
            return;
        }
        b.sent += units;
        if (current == null) {
            current = b;
            b.progress.start(b.what, b.digest, b.size);
            b.progress.advance(b.sent);
        } else if (current == b) {
            b.progress.advance(units);
        }
        if (b.sent >= b.size) {
            b.done = true;
            if (current != b) {
                b.progress.start(b.what, b.digest, b.size);
                b.progress.advance(b.size);
            } else {
                current = null;
            }
            b.progress.done(b.what, b.digest, b.size, false);
            reported.add(b.digest);
        }
    }

    private static String label(Allocation a, String digest) {
        String parent = a.getParent().map(Allocation::getDescription).orElse("");
        return (parent.contains("configuration") ? "config " : "layer ") + Digests.shortForm(digest);
    }

    private void onLog(LogEvent l) {
        String msg = JibErrors.plain(l.getMessage());
        Matcher base = BASE_DIGEST.matcher(msg);
        if (base.find()) {
            baseDigest.set(base.group(1));
        }
        if (msg.endsWith(" failed and will be retried")) {
            // Jib retries a failed request ten times with growing pauses (about a minute against a registry that
            // stalls, each try waiting --timeout). bee's registry rules have no retries: the pause before the next
            // try ends at once on this flag (the HTTP client's back-off sleeps on the request's thread, which
            // logs this), so the request fails after one more try instead of ten.
            Thread.currentThread().interrupt();
        }
        Matcher skipped = SKIPPED.matcher(msg);
        if (skipped.find()) {
            synchronized (this) {
                if (reported.add(skipped.group(1))) {
                    pushes.done("blob " + Digests.shortForm(skipped.group(1)), skipped.group(1),
                            Long.parseLong(skipped.group(2)), true);
                }
            }
        }
        // Jib's errors end in an exception that bee reports with its hint (JibErrors): its own lines are for -v.
        switch (l.getLevel()) {
            case ERROR, WARN, LIFECYCLE, PROGRESS, INFO -> LOG.debug("{}", msg);
            default -> LOG.trace("{}", msg);
        }
    }
}
