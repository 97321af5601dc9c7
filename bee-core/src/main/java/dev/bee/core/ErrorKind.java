package dev.bee.core;

/**
 * What went wrong, in the categories a script cares about. Each maps to a stable process exit code,
 * documented in the README; never renumber them.
 */
public enum ErrorKind {
    /** A bug in bee or an unexpected failure. */
    INTERNAL(1),
    /** Bad command-line usage (picocli also uses 2). */
    USAGE(2),
    /** A malformed or unsupported input file: object, BTF, image. */
    INPUT(3),
    /** clang rejected the program. */
    BUILD(4),
    /** The kernel refused a load or attach, or a kernel feature is missing. */
    KERNEL(5),
    /** A registry could not be reached or refused the request. */
    REGISTRY(6),
    /** An image, file or tag does not exist. */
    NOT_FOUND(7),
    /** Root or a capability is needed. */
    PERMISSION(8),
    /** A tool or library bee needs is not installed. */
    ENVIRONMENT(9),
    /**
     * A signature or the trust policy refused an image: no signature by a trusted key over the digest bee
     * was about to load, for its repository, or a policy that rejects the repository. Nothing was loaded or stored.
     */
    UNTRUSTED(10);

    private final int exitCode;

    ErrorKind(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
