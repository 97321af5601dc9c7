package dev.bee.core.attach;

/** An attached program: {@link #close()} detaches it (idempotent, never throws). */
public interface Attachment extends AutoCloseable {
    /** What is attached where, e.g. "handle_exec -> tracepoint sched/sched_process_exec". */
    String description();

    @Override
    void close();

    /**
     * Whether this attachment can be detached at the same time as others: true of plain links (a
     * tracepoint's or probe's detach waits about 65 ms in the kernel for readers of the old program list
     * to finish, and those waits overlap); false where detaches share state (tc hooks).
     */
    default boolean detachesConcurrently() {
        return false;
    }
}
