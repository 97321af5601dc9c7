package dev.bee.core;

/**
 * An error the user can understand and usually fix: carries a one-line message, an optional hint
 * that says what to do, and the {@link ErrorKind} that decides the process exit code.
 */
public class BeeException extends RuntimeException {
    private final ErrorKind kind;
    private final String hint;

    public BeeException(ErrorKind kind, String message) {
        this(kind, message, null, null);
    }

    public BeeException(ErrorKind kind, String message, String hint) {
        this(kind, message, hint, null);
    }

    public BeeException(ErrorKind kind, String message, String hint, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.hint = hint;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** What the user can do about it, or null. */
    public String hint() {
        return hint;
    }
}
