package dev.bee.core.image.registry;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Time limits for a registry conversation. The stall bound: a call that gets no answer within the timeout,
 * a download that gets no byte within it, and an upload the registry takes no byte of within it end with a
 * registry error instead of hanging. The overall bound ({@link Bound}): each request, answer included, is
 * done within the timeout plus its size limit at {@link #MIN_RATE}, so a registry that sends a byte now and
 * then cannot hold bee for longer either. Connections wait for answers and bytes with the socket's own
 * timeout (see {@link HttpClients}); a blocked upload and answer headers that do not end get a watchdog,
 * which closes the connection, on a thread started when a first request needs one.
 */
final class Deadline {
    /** The slowest transfer the overall bound allows: 256 KiB/s (2 Mbit/s), so 1 s more per 256 KiB. */
    static final long MIN_RATE = 256 << 10;
    /** What the overall bound allows for an answer's headers (a registry's are a few KiB). */
    static final long HEADERS = 64 << 10;

    private final Duration timeout;
    private final String host;

    Deadline(Duration timeout, String host) {
        this.timeout = timeout;
        this.host = host;
    }

    /** The watchdog's thread, started on first use. */
    private static final class Watch {
        static final ScheduledExecutorService WATCH = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bee-registry-watch");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * {@code in}, the body of {@code bound}'s answer, whose reads end with the stall's registry error when no
     * byte arrives within the timeout, and with the overall bound's once the request is past it.
     */
    InputStream guard(InputStream in, Bound bound, String action) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                try {
                    return bound.checked(in.read());
                } catch (SocketTimeoutException e) {
                    throw stalled(action);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return bound.checked(in.read(b, off, len));
                } catch (SocketTimeoutException e) {
                    throw stalled(action);
                }
            }

            @Override
            public void close() throws IOException {
                bound.close();
                super.close();
            }
        };
    }

    /**
     * Starts the overall bound of one request on {@code connection}: it sends {@code upload} bytes and takes
     * an answer of at most {@code answerLimit} bytes.
     */
    Bound start(HttpURLConnection connection, long upload, long answerLimit, String action) {
        return new Bound(connection, upload, answerLimit, action);
    }

    /**
     * The overall bound of one request: done within the timeout plus its bytes at {@link #MIN_RATE}, its
     * bytes being what it uploads, {@link #HEADERS} for the answer's headers and the most its body may bring
     * (the size the answer declares, once known, when that is less). The headers must be in by the bound of
     * the upload and {@link #HEADERS}: until then a watchdog closes the connection at that bound (nothing
     * else ends a blocked write or a header line that never ends); after that each read of the body checks
     * the whole bound, so a body that still drips ends at the first byte past it.
     */
    final class Bound implements AutoCloseable {
        private final HttpURLConnection connection;
        private final long upload;
        private final long answerLimit;
        private final String action;
        private final long start = System.nanoTime();
        private long bytes;
        private volatile boolean fired;
        private ScheduledFuture<?> alarm;

        private Bound(HttpURLConnection connection, long upload, long answerLimit, String action) {
            this.connection = connection;
            this.upload = upload;
            this.answerLimit = answerLimit;
            this.action = action;
            this.bytes = upload + HEADERS;
            this.alarm = Watch.WATCH.schedule(this::fire, allowed(bytes).toNanos(), TimeUnit.NANOSECONDS);
        }

        private void fire() {
            fired = true;
            connection.disconnect(); // closing the socket is how a blocked write or header read is ended
        }

        /** The headers are in: the watchdog stops; the body's size ({@code declared}, -1: unknown) sets the bound. */
        synchronized void answered(long declared) {
            alarm.cancel(false);
            bytes = upload + HEADERS + (declared >= 0 ? Math.min(declared, answerLimit) : answerLimit);
        }

        /** {@code n}, the count of a read, after checking that the request is still within its bound. */
        int checked(int n) {
            if (n >= 0 && System.nanoTime() - start > allowed(bytes).toNanos()) {
                throw overdue();
            }
            return n;
        }

        /** Whether the watchdog ended the request: its failure is then the bound's error. */
        boolean fired() {
            return fired;
        }

        BeeException overdue() {
            return new BeeException(ErrorKind.REGISTRY, "cannot " + action + ": " + host + " sent too slowly: a request"
                    + " of " + bytes + " bytes at most must be done within " + say(allowed(bytes)) + " (--timeout "
                    + say(timeout) + " plus 1s per 256 KiB)",
                    "the registry or the network is too slow; try again later, or allow longer with --timeout TIME");
        }

        @Override
        public synchronized void close() {
            alarm.cancel(false);
        }
    }

    /** How long a request of {@code bytes} may take in all: the timeout plus its bytes at {@link #MIN_RATE}. */
    Duration allowed(long bytes) {
        return timeout.plusMillis(Math.max(0, bytes) * 1000 / MIN_RATE);
    }

    /** {@code out} of {@code connection}, closed by the watchdog when a write blocks for the timeout. */
    OutputStream watch(OutputStream out, HttpURLConnection connection, String action) {
        return new FilterOutputStream(out) {
            private volatile boolean stalled;

            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ScheduledFuture<?> alarm = Watch.WATCH.schedule(() -> {
                    stalled = true;
                    connection.disconnect(); // closing the socket is how the blocked write is ended
                }, timeout.toMillis(), TimeUnit.MILLISECONDS);
                try {
                    out.write(b, off, len);
                } catch (IOException e) {
                    if (stalled) {
                        throw stalled(action);
                    }
                    throw e;
                } finally {
                    alarm.cancel(false);
                }
            }
        };
    }

    BeeException stalled(String action) {
        return new BeeException(ErrorKind.REGISTRY, "cannot " + action + ": " + host + " sent nothing for " + say(timeout),
                "the registry stalls; try again later, or wait longer with --timeout TIME");
    }

    /** Whole seconds as "30s"; less or between, in milliseconds ("--timeout 500ms" must not read "0s"). */
    private static String say(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
