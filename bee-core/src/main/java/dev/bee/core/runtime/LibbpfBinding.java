package dev.bee.core.runtime;

import dev.bee.core.libbpf.Bindings;

/**
 * Binds libbpf ahead of a load, on another thread: generating the binding (jnr-ffi) is the longest step
 * of a short run's start-up (about 0.15 s), and can overlap building the command line's model and reading
 * the object on the second core. Makes no logger, as it starts before the command line's -v is parsed;
 * a failure is left for the load to report.
 */
public final class LibbpfBinding {
    private LibbpfBinding() {
    }

    /**
     * Waits for the binding (making it here if it was not started), or fails as a load would. This thread
     * makes libc's part meanwhile, which takes it off the background thread's path (about 15 ms).
     */
    public static void await() {
        Bindings.makeLibc();
        Bindings.makeLibbpf();
    }

    public static void startInBackground() {
        Thread t = new Thread(() -> {
            try {
                Bindings.makeLibbpf();
            } catch (RuntimeException | LinkageError e) {
                // the load binds again and reports it
            }
        }, "bee-bind-libbpf");
        t.setDaemon(true);
        t.start();
    }
}
