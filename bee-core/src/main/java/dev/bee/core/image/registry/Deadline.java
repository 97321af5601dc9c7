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
 * Time limits for a registry conversation: a call that gets no answer within the timeout, a download that
 * gets no byte within it, and an upload the registry takes no byte of within it end with a registry error
 * instead of hanging. Connections wait for answers and bytes with the socket's own timeout (see
 * {@link HttpClients}); only a blocked upload needs a watchdog, which closes the connection, on a thread
 * started when a first upload needs one.
 */
final class Deadline {
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

    /** {@code in}, whose reads end with the stall's registry error when no byte arrives within the timeout. */
    InputStream guard(InputStream in, String action) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                try {
                    return in.read();
                } catch (SocketTimeoutException e) {
                    throw stalled(action);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return in.read(b, off, len);
                } catch (SocketTimeoutException e) {
                    throw stalled(action);
                }
            }
        };
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
        // Whole seconds as "30s"; less or between, in milliseconds ("--timeout 500ms" must not read "0s").
        String limit = timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + "s" : timeout.toMillis() + "ms";
        return new BeeException(ErrorKind.REGISTRY, "cannot " + action + ": " + host + " sent nothing for " + limit,
                "the registry stalls; try again later, or wait longer with --timeout TIME");
    }
}
