package dev.bee.core.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) and SIGTERM during a run: the first asks the run to stop, so the owner releases
 * everything in order and bee exits normally; a second one, if cleanup hangs, ends the process at
 * once (the kernel then drops unpinned programs with their last fd). A shutdown hook covers exits that
 * bypass the handlers: it asks the run to stop and waits for cleanup to finish.
 */
public final class StopSignals implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    private static final long HOOK_WAIT_SECONDS = 10;

    private volatile boolean stopRequested;
    private volatile String reason;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Map<String, SignalHandler> previous = new HashMap<>();
    private final Thread hook;

    private StopSignals() {
        this.hook = new Thread(() -> {
            request("shutdown");
            try {
                finished.await(HOOK_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bee-shutdown");
    }

    /** Installs the SIGINT/SIGTERM handlers and the shutdown hook until {@link #close()}. */
    public static StopSignals install() {
        StopSignals s = new StopSignals();
        for (String name : new String[]{"INT", "TERM"}) {
            try {
                SignalHandler old = Signal.handle(new Signal(name), sig -> s.onSignal(sig.getName(), sig.getNumber()));
                s.previous.put(name, old);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.debug("cannot handle SIG{}: {}", name, e.toString());
            }
        }
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    private void onSignal(String name, int number) {
        if (stopRequested) {
            LOG.warn("second SIG{}: exiting without cleanup", name);
            Runtime.getRuntime().halt(128 + number);
        }
        request("SIG" + name);
    }

    /** Asks the run to stop (also used for --duration and errors); the first reason is kept. */
    public void request(String why) {
        if (!stopRequested) {
            reason = why;
            stopRequested = true;
        }
    }

    public boolean stopRequested() {
        return stopRequested;
    }

    /** Why the run was asked to stop, or null. */
    public String reason() {
        return reason;
    }

    /** Restores the previous handlers and removes the hook; call once cleanup is done. */
    @Override
    public void close() {
        finished.countDown();
        for (Map.Entry<String, SignalHandler> e : previous.entrySet()) {
            try {
                Signal.handle(new Signal(e.getKey()), e.getValue());
            } catch (IllegalArgumentException ex) {
                LOG.debug("cannot restore SIG{}: {}", e.getKey(), ex.toString());
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is waiting for us, which we just released
        }
    }
}
