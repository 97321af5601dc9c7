package dev.bee.core.libbpf;

/**
 * Makes the native binding ahead of its first use: loading libbpf and libc and generating their jnr-ffi
 * stubs is the longest step of a short run's start-up, so the runtime starts it early on other threads.
 */
public final class Bindings {
    private Bindings() {
    }

    /** Loads libbpf and generates its binding now (once per process); fails as {@link ObjectHandle#open} would. */
    public static void makeLibbpf() {
        Native.get();
    }

    /** Makes libc's part of the binding on this thread, if nobody has. */
    public static void makeLibc() {
        Native.bindLibc();
    }
}
