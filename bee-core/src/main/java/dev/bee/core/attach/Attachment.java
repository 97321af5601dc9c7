package dev.bee.core.attach;

/** An attached program: {@link #close()} detaches it (idempotent, never throws). */
public interface Attachment extends AutoCloseable {
    /** What is attached where, e.g. "handle_exec -> tracepoint sched/sched_process_exec". */
    String description();

    @Override
    void close();
}
