package dev.bee.core.sink;

/**
 * Nobody reads the output any more (the reader of a pipe went away, as {@code | head -1} does): the run
 * ends cleanly instead of failing or running on unseen.
 */
public final class OutputClosedException extends RuntimeException {
    public OutputClosedException(String message) {
        super(message);
    }
}
