package dev.bee.core;

/**
 * What went wrong, in the categories a script cares about. Each maps to a stable process exit code,
 * never renumbered. This is the one list of exit codes: {@code bee --help} (Main's exitCodeList), the
 * man page and the README table must say the same, word for word (CommandLineTest checks both).
 */
public enum ErrorKind {
    /** A bug in bee or an unexpected failure. */
    INTERNAL(1, "internal error (a bug in bee)"),
    /** Bad command-line usage (picocli also uses 2). */
    USAGE(2, "usage error (bad flag or argument)"),
    /** A malformed or unsupported input file: object, BTF, image. */
    INPUT(3, "invalid input (malformed object, BTF or image)"),
    /** clang rejected the program. */
    BUILD(4, "build failed (clang rejected the program)"),
    /** The kernel refused a load or attach, or a kernel feature is missing. */
    KERNEL(5, "kernel refused a load or attach, or lacks a feature"),
    /** A registry could not be reached or refused the request. */
    REGISTRY(6, "registry unreachable or refused the request"),
    /** An image, file or tag does not exist. */
    NOT_FOUND(7, "not found (file, image or tag)"),
    /** Root or a capability is needed. */
    PERMISSION(8, "permission denied (root or a capability is missing)"),
    /** A tool or library bee needs is not installed. */
    ENVIRONMENT(9, "a required tool or library is not installed"),
    /** A file or folder could not be written: read-only or full file system, a file where a folder must be. */
    WRITE(10, "cannot write a file (read-only or full file system, or a bad path)");

    private final int exitCode;

    private final String meaning;

    ErrorKind(int exitCode, String meaning) {
        this.exitCode = exitCode;
        this.meaning = meaning;
    }

    /** What the code means, as the exit code lists say it. */
    public String meaning() {
        return meaning;
    }

    public int exitCode() {
        return exitCode;
    }
}
