package dev.bee.core.image.registry;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Time limits for a registry conversation, which oras-java does not set: a call that gets no answer
 * within the timeout, and a download that gets no byte within it, end with a registry error instead of
 * hanging. Calls run on a daemon thread (a stalled one is abandoned, not waited for); a stalled stream is
 * closed from a watchdog, which ends the blocked read.
 */
final class Deadline {
    private static final ExecutorService CALLS = Executors.newCachedThreadPool(daemon("bee-registry-call"));
    private static final ScheduledExecutorService WATCH =
            Executors.newSingleThreadScheduledExecutor(daemon("bee-registry-watch"));

    private final Duration timeout;
    private final String host;

    Deadline(Duration timeout, String host) {
        this.timeout = timeout;
        this.host = host;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** {@code call}'s result, or a registry error after the timeout; the call's own exceptions pass through. */
    <T> T call(String action, Supplier<T> call) {
        Future<T> f = CALLS.submit(call::get);
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw stalled(action);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new BeeException(ErrorKind.REGISTRY, "cannot " + action + ": interrupted");
        }
    }

    /** {@code in}, closed by the watchdog when no byte arrives within the timeout. */
    InputStream guard(InputStream in, String action) {
        return new FilterInputStream(in) {
            private volatile boolean stalled;

            private int watched(IoRead read) throws IOException {
                ScheduledFuture<?> alarm = WATCH.schedule(() -> {
                    stalled = true;
                    try {
                        in.close();
                    } catch (IOException ignored) {
                        // closing is how the read is ended; its failure changes nothing
                    }
                }, timeout.toMillis(), TimeUnit.MILLISECONDS);
                try {
                    return read.run();
                } catch (IOException e) {
                    if (stalled) {
                        throw stalled(action);
                    }
                    throw e;
                } finally {
                    alarm.cancel(false);
                }
            }

            @Override
            public int read() throws IOException {
                return watched(in::read);
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return watched(() -> in.read(b, off, len));
            }
        };
    }

    private interface IoRead {
        int run() throws IOException;
    }

    private BeeException stalled(String action) {
        return new BeeException(ErrorKind.REGISTRY, "cannot " + action + ": " + host + " sent nothing for "
                + timeout.toSeconds() + "s", "the registry stalls; try again later, or wait longer with --timeout TIME");
    }
}
