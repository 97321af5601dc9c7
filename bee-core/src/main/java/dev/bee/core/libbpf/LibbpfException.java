package dev.bee.core.libbpf;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

import java.util.List;

/**
 * A libbpf call failed: carries the call, the errno, libbpf's description of it and the warnings
 * libbpf logged while the call ran (they usually say why). Layers above turn these into messages
 * that say what to do; this one only reports.
 */
public class LibbpfException extends BeeException {
    private final String call;
    private final int errno;
    private final String libbpfMessage;
    private final List<String> warnings;

    public LibbpfException(ErrorKind kind, String call, int errno, String libbpfMessage, List<String> warnings,
                           String message, String hint) {
        super(kind, message, hint);
        this.call = call;
        this.errno = errno;
        this.libbpfMessage = libbpfMessage;
        this.warnings = List.copyOf(warnings);
    }

    /** The libbpf function that failed. */
    public String call() {
        return call;
    }

    /** The positive errno (ENOENT = 2, EPERM = 1, ...). */
    public int errno() {
        return errno;
    }

    /** libbpf's text for the errno, e.g. "No such file or directory". */
    public String libbpfMessage() {
        return libbpfMessage;
    }

    /** What libbpf logged at warning level during the call. */
    public List<String> warnings() {
        return warnings;
    }
}
